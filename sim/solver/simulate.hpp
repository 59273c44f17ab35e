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

struct SimulateOptions {
  // Keep the arm's run on the solver's dense output (Trajectory::dense) when the method has one
  // (rosenbrock4), so that its challenge peaks are located without simulating it again. Off by
  // default: 4 states per accepted step is memory that populations and sweeps do not need.
  bool keep_dense_output = false;
};

// Simulates one arm on the given sorted sample times (all within the spec's grid).
Trajectory simulate_arm(const ScenarioSpec& spec, const Arm& arm,
                        const std::vector<double>& sample_t_h,
                        const ProgressCallback& progress = nullptr,
                        const SimulateOptions& options = {});

// Simulates every arm of the scenario on its output grid.
std::vector<Trajectory> simulate(const ScenarioSpec& spec,
                                 const ProgressCallback& progress = nullptr,
                                 const SimulateOptions& options = {});

}  // namespace morsim
