// Evaluation of one block of sweep scenarios.
#include "sweep/result_block.hpp"

#include <algorithm>
#include <exception>
#include <limits>

namespace morsim::sweep {

ResultBlock evaluate_block(Evaluator& ev, std::uint64_t start, std::uint64_t count,
                           std::size_t n_params, std::size_t n_metrics, std::size_t n_traj) {
  ResultBlock blk;
  blk.start = start;
  blk.count = count;
  blk.params.resize(count * n_params);
  blk.metrics.resize(count * n_metrics);
  blk.traj.resize(count * n_traj);
  blk.status.assign(count, kDone);
  for (std::uint64_t i = 0; i < count; ++i) {
    try {
      ev.evaluate(start + i, &blk.params[i * n_params], &blk.metrics[i * n_metrics],
                  &blk.traj[i * n_traj]);
    } catch (const std::exception& e) {
      blk.status[i] = kFailed;
      std::fill_n(&blk.metrics[i * n_metrics], n_metrics, std::numeric_limits<double>::quiet_NaN());
      blk.errors.push_back({start + i, e.what()});
    }
  }
  return blk;
}

}  // namespace morsim::sweep
