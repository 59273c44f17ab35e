// Private to config/: parameter overrides ("naltrexone.ke0" = "1.5 /h") applied to the TOML
// tables before they are read, so an overridden value is checked like any other.
#pragma once

#include <map>
#include <string>

#include "config/toml_reader.hpp"

namespace morsim::config {

// The tables an override path can name, by owner ("naltrexone", "heroin-iv", "receptor",
// "doses").
struct OverrideTargets {
  std::map<std::string, toml::table*> compounds;
  std::map<std::string, toml::table*> formulations;
  toml::table* receptor = nullptr;  // the scenario's [receptor] table
  toml::array* arms = nullptr;      // the scenario's [[arm]] array, for doses.<arm>.<i>.<key>
};

// Sets `path` to a copy of `value`; fails with `origin` when the path names nothing. Doses are
// named as sweeps name them: doses.<arm>.<index>.{amount, time, missed_last}, the index
// counting the arm's [[arm.dose]] records from 0.
void apply_override(Context& ctx, OverrideTargets& targets, const std::string& path,
                    const toml::node& value, const OverrideOrigin& origin);

// Applies every entry of a scenario's [overrides] table (quoted dotted keys or nested tables).
void apply_override_table(Context& ctx, OverrideTargets& targets, const toml::table& overrides);

// Applies one "path=value" from the command line; value is TOML if it parses, else a string.
void apply_command_line_override(Context& ctx, OverrideTargets& targets, const std::string& text);

}  // namespace morsim::config
