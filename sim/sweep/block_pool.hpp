// Worker threads that evaluate blocks of sweep scenarios ahead of a writer that takes them in
// order, for both the threaded and the MPI runner. The look-ahead bounds memory whatever the
// sweep size.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

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
  ~BlockPool();  // aborts and joins
  BlockPool(const BlockPool&) = delete;
  BlockPool& operator=(const BlockPool&) = delete;

  // Waits until `not_before` unless the workers are done or stopping, then up to `wait` for the
  // next block in order; appends every ready block that continues the order to `out`. Returns
  // true once the workers are gone and every block they finished has been taken.
  bool take(std::vector<ResultBlock>& out, std::chrono::milliseconds wait,
            std::chrono::steady_clock::time_point not_before = {});
  // Wakes workers waiting for room, so that a stop request that changed `stop()` is seen.
  void wake();
  // Stops the workers after their current block and joins them.
  void join(bool abort = false);

 private:
  void work(const SweepSpec& sw);
  bool stopping() const { return abort_ || stop_(); }

  const std::vector<std::uint64_t> blocks_;
  const std::uint64_t block_size_, n_, limit_;
  const std::size_t ahead_;
  const std::function<bool()> stop_;
  std::mutex mu_;
  std::condition_variable cv_done_, cv_space_;
  std::map<std::size_t, ResultBlock> ready_;  // by position in blocks_
  std::size_t next_claim_ = 0, next_take_ = 0;
  std::uint64_t started_ = 0;
  unsigned running_ = 0;
  bool abort_ = false;
  std::vector<std::thread> pool_;
};

}  // namespace morsim::sweep
