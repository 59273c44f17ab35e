// What the page's controls change in a lesson config, applied to its TOML so that the text
// shown and downloaded is the scenario that ran (and runs in `morsim run`).
#pragma once

#include <string>
#include <vector>

namespace morsim::web {

// One change, "what[:target]=value":
//   amount:<formulation>=<mg>   every dose record of the formulation gets this amount
//   time:<formulation>=<h>      the formulation's first record starts at this time; its other
//                               records keep their offsets from it
//   missed:<formulation>=i,j    0-based doses not taken of the formulation's repeated records
//   mode=kinetic|equilibrium    receptor binding mode
//   set:<path>=<value>          a model parameter, as in [overrides] ("naltrexone.ke0=1.5 /h")
// Throws std::invalid_argument naming the change when it is malformed or names nothing in the
// config; values themselves are checked when the edited text is loaded.
std::string edit_config(const std::string& toml_text, const std::vector<std::string>& edits);

}  // namespace morsim::web
