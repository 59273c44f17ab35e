// Simulating a scenario: compile the model once, integrate each arm between dose events.
#pragma once

#include <functional>
#include <memory>
#include <vector>

#include "model/scenario.hpp"
#include "model/trajectory.hpp"

namespace morsim {

class CompiledModel;  // state layout, rate matrices, binding; see solver/compiled_model.hpp

// Called between integration segments with the time reached and the end time; return false
// to stop early (the simulation then throws SolverError("interrupted ...")).
using ProgressCallback = std::function<bool(double t_h, double t_end_h)>;

// Simulates one arm on the given sorted sample times (all within the spec's grid).
Trajectory simulate_arm(const ScenarioSpec& spec, const Arm& arm,
                        const std::vector<double>& sample_t_h,
                        const ProgressCallback& progress = nullptr);

// Simulates every arm of the scenario on its output grid.
std::vector<Trajectory> simulate(const ScenarioSpec& spec,
                                 const ProgressCallback& progress = nullptr);

}  // namespace morsim
