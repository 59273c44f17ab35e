// Where kinetic binding and equilibrium part ways: fast transients (an IV heroin peak lasts
// minutes, about as long as binding takes) and slowly dissociating ligands (buprenorphine).
#include "analysis/lesson_binding_mode.hpp"

namespace morsim {

ScenarioSpec equilibrium_twin(const ScenarioSpec& spec) {
  ScenarioSpec eq = spec;
  eq.receptor.mode = BindingMode::kEquilibrium;
  const std::string suffix = "-kinetic";
  for (Arm& a : eq.arms) {
    const bool tagged = a.name.size() > suffix.size() &&
                        a.name.compare(a.name.size() - suffix.size(), suffix.size(), suffix) == 0;
    a.name = (tagged ? a.name.substr(0, a.name.size() - suffix.size()) : a.name) + "-equilibrium";
  }
  return eq;
}

}  // namespace morsim
