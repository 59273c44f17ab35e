// The kinetic-versus-equilibrium lesson: the same arms with kinetic binding and with
// instantaneous (Gaddum) equilibrium.
#pragma once

#include <string>
#include <vector>

#include "model/scenario.hpp"

namespace morsim {

// The scenario with receptor.mode = equilibrium and each arm renamed: a "-kinetic" suffix
// becomes "-equilibrium", any other name gets "-equilibrium" appended.
ScenarioSpec equilibrium_twin(const ScenarioSpec& spec);

}  // namespace morsim
