// pending_blocks, and the sweep's work function on the ordered pool.
#include "sweep/block_pool.hpp"

#include <algorithm>
#include <memory>

#include "sweep/evaluator.hpp"

namespace morsim::sweep {

std::vector<std::uint64_t> pending_blocks(SweepFile& file, std::uint64_t n,
                                          std::uint64_t block_size, bool resume,
                                          std::uint64_t& to_run) {
  std::vector<std::uint64_t> blocks;
  std::vector<std::int8_t> st(block_size);
  for (std::uint64_t b = 0; b * block_size < n; ++b) {
    const std::uint64_t c = std::min(block_size, n - b * block_size);
    bool pending = !resume;
    if (resume) {
      file.read_status(b * block_size, c, st.data());
      pending = std::any_of(st.begin(), st.begin() + static_cast<long>(c),
                            [](std::int8_t s) { return s != kDone; });
    }
    if (pending) {
      blocks.push_back(b);
      to_run += c;
    }
  }
  return blocks;
}

BlockPool::BlockPool(const SweepSpec& sw, std::vector<std::uint64_t> blocks,
                     std::uint64_t block_size, std::uint64_t limit, unsigned threads,
                     std::size_t ahead, std::function<bool()> stop)
    : blocks_(std::move(blocks)),
      block_size_(block_size),
      n_(sw.design->size()),
      limit_(limit),
      pool_(
          blocks_.size(), threads, ahead,
          [this, &sw]() -> parallel::OrderedPool<ResultBlock>::Work {
            auto ev = std::make_shared<Evaluator>(sw);  // one per worker
            const std::size_t np = sw.parameters.size(), nm = sw.metrics.size(),
                              nt = 2 * sw.trajectory_points();
            return [this, ev, np, nm, nt](std::size_t pos) {
              const std::uint64_t start = blocks_[pos] * block_size_;
              return evaluate_block(*ev, start, std::min(block_size_, n_ - start), np, nm, nt);
            };
          },
          std::move(stop),
          [this](std::size_t pos) {
            if (started_ >= limit_) return false;
            started_ += std::min(block_size_, n_ - blocks_[pos] * block_size_);
            return true;
          }) {}

}  // namespace morsim::sweep
