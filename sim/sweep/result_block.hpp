// A block of consecutive sweep scenarios evaluated together, the unit of work and of writing
// for both the threaded runner and the MPI runner.
#pragma once

#include <cstdint>
#include <vector>

#include "sweep/evaluator.hpp"
#include "sweep/sweep_file.hpp"

namespace morsim::sweep {

struct ResultBlock {
  std::uint64_t start = 0, count = 0;
  std::vector<double> params, metrics, traj;  // row-major: count x P, count x M, count x T
  std::vector<std::int8_t> status;            // kDone or kFailed per scenario
  std::vector<ScenarioError> errors;
};

// Evaluates scenarios [start, start + count). A scenario that throws is recorded as failed
// with its message and NaN metrics; the others are unaffected.
ResultBlock evaluate_block(Evaluator& ev, std::uint64_t start, std::uint64_t count,
                           std::size_t n_params, std::size_t n_metrics, std::size_t n_traj);

}  // namespace morsim::sweep
