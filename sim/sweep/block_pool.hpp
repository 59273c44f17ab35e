// The sweep's blocks of scenarios on the worker pool of parallel/, for both the threaded and
// the MPI runner: workers evaluate blocks ahead of the writer, which takes them in order.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <vector>

#include "parallel/ordered_pool.hpp"
#include "sweep/result_block.hpp"
#include "sweep/sweep_file.hpp"
#include "sweep/sweep_spec.hpp"

namespace morsim::sweep {

// The blocks of `block_size` scenarios (of n) to run: all, or on resume those with a scenario
// not done in `file` (a block is rerun whole; results are deterministic, so done rows are
// rewritten with the same values). Adds their scenario count to `to_run`.
std::vector<std::uint64_t> pending_blocks(SweepFile& file, std::uint64_t n,
                                          std::uint64_t block_size, bool resume,
                                          std::uint64_t& to_run);

class BlockPool {
 public:
  // Starts `threads` workers on blocks[0], blocks[1], ... (block b holds scenarios
  // [b * block_size, ...)). A worker claims a block at most `ahead` positions past the next one
  // the writer takes, and none once `limit` scenarios were started or `stop()` is true.
  BlockPool(const SweepSpec& sw, std::vector<std::uint64_t> blocks, std::uint64_t block_size,
            std::uint64_t limit, unsigned threads, std::size_t ahead, std::function<bool()> stop);

  // As OrderedPool::take: every ready block that continues the order, appended to `out`.
  bool take(std::vector<ResultBlock>& out, std::chrono::milliseconds wait,
            std::chrono::steady_clock::time_point not_before = {}) {
    const bool done = pool_.take(out, wait, not_before);
    if (done) pool_.rethrow();  // a block that threw (evaluate_block records scenario errors)
    return done;
  }
  void wake() { pool_.wake(); }
  void join(bool abort = false) { pool_.join(abort); }

 private:
  const std::vector<std::uint64_t> blocks_;
  const std::uint64_t block_size_, n_, limit_;
  std::uint64_t started_ = 0;  // scenarios claimed, under the pool's lock
  parallel::OrderedPool<ResultBlock> pool_;
};

}  // namespace morsim::sweep
