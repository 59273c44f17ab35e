// Private to config/: the schema of compound, formulation and receptor tables (docs/config.md).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "config/toml_reader.hpp"
#include "model/compound.hpp"
#include "model/formulation.hpp"
#include "model/scenario.hpp"

namespace morsim::config {

// Keys a compound table may hold, per section; the override short forms ("naltrexone.ke0")
// are found in these sections.
extern const std::vector<std::string> kCompoundKeys, kPkKeys, kBrainKeys, kBindingKeys,
    kFormulationKeys, kPhaseKeys;

// The `name` of a compound or formulation table.
std::string table_name(const Context& ctx, const toml::table& t, const std::string& what);

// `links` receives the node of each metabolite link, in order, for errors about loops.
Compound parse_compound(Context& ctx, const toml::table& t,
                        std::vector<const toml::node*>* links = nullptr);
Formulation parse_formulation(Context& ctx, const toml::table& t);
// Keys of a receptor table (model file or the scenario's [receptor]) applied to `r`.
void parse_receptor(Context& ctx, const toml::table& t, const std::string& path, Receptor& r,
                    bool scenario_table);

// [output] and [solver] of a scenario (either may be absent: defaults, but output.end is required).
OutputGrid parse_output(Context& ctx, const toml::table& root);
SolverOptions parse_solver(Context& ctx, const toml::table& root);
// [[arm]] with [[arm.dose]]; formulations must be in `spec`, doses within spec.grid.
// `required` = false: no [[arm]] is allowed (the arms come from a dataset).
std::vector<Arm> parse_arms(Context& ctx, const toml::table& root, const ScenarioSpec& spec,
                            bool required = true);
// [lesson] (absent = nullopt); roles must name arms of `spec`, placeholders the kind's.
std::optional<LessonSpec> parse_lesson(Context& ctx, const toml::table& root,
                                       const ScenarioSpec& spec);

}  // namespace morsim::config
