// Claims in order, evaluates outside the lock, hands blocks over by position.
#include "sweep/block_pool.hpp"

#include <algorithm>

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
      ahead_(ahead),
      stop_(std::move(stop)),
      running_(threads) {
  for (unsigned i = 0; i < threads; ++i) pool_.emplace_back([this, &sw] { work(sw); });
}

BlockPool::~BlockPool() { join(true); }

void BlockPool::work(const SweepSpec& sw) {
  Evaluator ev(sw);
  const std::size_t np = sw.parameters.size(), nm = sw.metrics.size(),
                    nt = 2 * sw.trajectory_points();
  for (;;) {
    std::size_t pos;
    {
      std::unique_lock<std::mutex> lk(mu_);
      cv_space_.wait(lk, [&] { return next_claim_ < next_take_ + ahead_ || stopping(); });
      if (next_claim_ >= blocks_.size() || stopping() || started_ >= limit_) break;
      pos = next_claim_++;
      started_ += std::min(block_size_, n_ - blocks_[pos] * block_size_);
    }
    const std::uint64_t start = blocks_[pos] * block_size_;
    ResultBlock blk = evaluate_block(ev, start, std::min(block_size_, n_ - start), np, nm, nt);
    std::lock_guard<std::mutex> lk(mu_);
    ready_.emplace(pos, std::move(blk));
    cv_done_.notify_one();
  }
  std::lock_guard<std::mutex> lk(mu_);
  --running_;
  cv_done_.notify_one();
}

bool BlockPool::take(std::vector<ResultBlock>& out, std::chrono::milliseconds wait,
                     std::chrono::steady_clock::time_point not_before) {
  std::unique_lock<std::mutex> lk(mu_);
  cv_done_.wait_until(lk, not_before, [&] { return running_ == 0 || stopping(); });
  cv_done_.wait_for(lk, wait,
                    [&] { return ready_.count(next_take_) || running_ == 0 || stopping(); });
  // Claimed blocks always finish, so a gap cannot remain once the workers are gone.
  if (running_ == 0 && !ready_.empty() && !ready_.count(next_take_))
    next_take_ = ready_.begin()->first;
  for (auto it = ready_.find(next_take_); it != ready_.end(); it = ready_.find(next_take_)) {
    out.push_back(std::move(it->second));
    ready_.erase(it);
    ++next_take_;
  }
  cv_space_.notify_all();  // room for more blocks, or a stop to notice
  return running_ == 0 && ready_.empty();
}

void BlockPool::wake() {
  std::lock_guard<std::mutex> lk(mu_);
  cv_space_.notify_all();
}

void BlockPool::join(bool abort) {
  {
    std::lock_guard<std::mutex> lk(mu_);
    if (abort) abort_ = true;
    cv_space_.notify_all();
  }
  for (std::thread& t : pool_)
    if (t.joinable()) t.join();
}

}  // namespace morsim::sweep
