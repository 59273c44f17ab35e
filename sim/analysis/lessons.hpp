// The teaching paragraphs of the built-in demos, with every number taken from the run.
#pragma once

#include <string>
#include <vector>

#include "model/scenario.hpp"
#include "solver/trajectory.hpp"

namespace morsim {

// A paragraph for the lesson of this scenario (by its name), or "" when it has none.
std::string lesson_paragraph(const ScenarioSpec& spec, const std::vector<Trajectory>& arms);

}  // namespace morsim
