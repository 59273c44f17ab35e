// Where kinetic binding and equilibrium part ways: fast transients (an IV heroin peak lasts
// minutes, about as long as binding takes) and slowly dissociating ligands (buprenorphine).
#include "analysis/lesson_binding_mode.hpp"

#include <cmath>

#include "analysis/lesson_agonists.hpp"
#include "analysis/lesson_text.hpp"

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

std::string kinetic_vs_equilibrium_paragraph(const ScenarioSpec& spec,
                                             const std::vector<Trajectory>& arms) {
  using lesson_text::fmt;
  using lesson_text::pct;
  const auto rows = analyse_challenge_on_top(spec, arms);
  if (rows.size() < 2 || rows.size() % 2 != 0) return "";
  // Time from the challenge to its peak occupancy, in minutes.
  auto peak_minutes = [&](const ChallengeOnTop& r) {
    for (const Trajectory& tr : arms)
      if (tr.arm == r.arm) {
        double best = -1.0, when = 0.0;
        for (std::size_t i = 0; i < tr.n_times(); ++i)
          if (tr.t_h[i] >= r.challenge_time_h && tr.agonist_occupancy(i) > best)
            best = tr.agonist_occupancy(i), when = tr.t_h[i];
        return 60.0 * (when - r.challenge_time_h);
      }
    return 0.0;
  };
  const std::size_t half = rows.size() / 2;
  std::string s = "Lesson: kinetic binding versus equilibrium. ";
  for (std::size_t j = 0; j < half; ++j) {
    const ChallengeOnTop& k = rows[j];
    const ChallengeOnTop& e = rows[j + half];
    if (k.maintenance.empty()) {
      s += "Heroin alone: with kinetic binding its active products peak at " +
           pct(k.challenge_peak_occupancy) + " of the receptors " +
           fmt("%.0f min", peak_minutes(k)) + " after the injection (effect " + pct(k.peak_effect) +
           "); at equilibrium, " + pct(e.challenge_peak_occupancy) + " at " +
           fmt("%.0f min", peak_minutes(e)) + " (effect " + pct(e.peak_effect) + "). ";
    } else {
      s += "On " + k.maintenance + ", at the trough it holds " + pct(k.maintenance_occupancy) +
           " kinetically and " + pct(e.maintenance_occupancy) +
           " at equilibrium; heroin then takes " + pct(k.challenge_peak_occupancy) + " and " +
           pct(e.challenge_peak_occupancy) + " (effect +" + pct(k.increment()) + " and +" +
           pct(e.increment()) + "). ";
    }
  }
  // Dissociation half-lives from the model, to say why the modes agree or not.
  auto koff_half_life_min = [&](const std::string& name) {
    const Compound* c = spec.find_compound(name);
    return c && c->binding.koff_per_h > 0 ? 60.0 * std::log(2.0) / c->binding.koff_per_h : 0.0;
  };
  s += "Equilibrium assumes binding is instantaneous. It holds when concentrations change slowly "
       "compared with binding: 6-MAM leaves the receptor with a half-life of " +
       fmt("%.1f min", koff_half_life_min("6-MAM")) +
       ", fast against its brain entry, so heroin's peak is nearly the same in both modes. "
       "Buprenorphine's dissociation half-life is " +
       fmt("%.0f min", koff_half_life_min("buprenorphine")) +
       ": in the kinetic model the receptors it holds are not free during heroin's short peak, "
       "while the equilibrium model lets heroin compete for them at once and overstates what "
       "heroin can do on buprenorphine.";
  return s;
}

}  // namespace morsim
