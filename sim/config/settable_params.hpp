// Every path that `--set PATH=VALUE` accepts for a scenario, with its unit and current value,
// for `morsim show --params`.
#pragma once

#include <string>
#include <vector>

#include "model/scenario.hpp"

namespace morsim {

struct SettableParameter {
  std::string path;   // "naltrexone.ke0", "naltrexone-oral-50mg.gut.transit[0]", "doses.a.0.time"
  std::string unit;   // the internal unit: "/h", "L", "mg"; empty when dimensionless or a count
  std::string value;  // the current value in `unit`, as text that reads back exactly
};

// In the order of the scenario: compounds, formulations, the receptor, then each arm's doses.
// Alternatives of one quantity (elimination_rate, clearance, half_life; ke0, ke0_half_life;
// kon, ki) are all listed; a peripheral compartment is listed in the spelling its file uses.
std::vector<SettableParameter> settable_parameters(const ScenarioSpec& spec);

// The list as a table: a heading, then "  path  unit  value" per line.
std::string describe_settable_parameters(const ScenarioSpec& spec);

}  // namespace morsim
