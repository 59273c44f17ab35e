// The kinetic-versus-equilibrium lesson: the same arms with kinetic binding and with
// instantaneous (Gaddum) equilibrium.
#pragma once

#include <string>
#include <vector>

#include "model/scenario.hpp"
#include "solver/trajectory.hpp"

namespace morsim {

// The scenario with receptor.mode = equilibrium and each arm renamed: a "-kinetic" suffix
// becomes "-equilibrium", any other name gets "-equilibrium" appended.
ScenarioSpec equilibrium_twin(const ScenarioSpec& spec);

// `arms` holds the kinetic arms followed by their equilibrium twins, in the same order.
std::string kinetic_vs_equilibrium_paragraph(const ScenarioSpec& spec,
                                             const std::vector<Trajectory>& arms);

}  // namespace morsim
