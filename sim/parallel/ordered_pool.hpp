// Worker threads that compute work units ahead of one consumer that takes their results in
// order; the look-ahead bounds memory whatever the number of units. Sweeps (blocks of
// scenarios) and populations (blocks of subjects of an arm) both run on it, under one process
// or as one MPI rank's share of the units (rank_share.hpp).
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <exception>
#include <functional>
#include <map>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

namespace morsim::parallel {

template <class Result>
class OrderedPool {
 public:
  // A worker's function of a unit's position; each worker makes its own (its own scratch).
  using Work = std::function<Result(std::size_t position)>;

  // Starts `threads` workers on positions 0, 1, ..., positions - 1. A worker claims a position
  // at most `ahead` past the next one the consumer takes, and none once `stop()` is true or
  // `may_claim(position)` (called under the pool's lock, in order) says no. A unit that throws
  // stops the pool; `rethrow()` passes the first exception on.
  OrderedPool(std::size_t positions, unsigned threads, std::size_t ahead,
              std::function<Work()> make_work, std::function<bool()> stop = {},
              std::function<bool(std::size_t)> may_claim = {})
      : positions_(positions),
        ahead_(ahead == 0 ? 1 : ahead),
        stop_(std::move(stop)),
        may_claim_(std::move(may_claim)),
        running_(threads) {
    for (unsigned i = 0; i < threads; ++i)
      pool_.emplace_back([this, make_work] { work(make_work); });
  }
  ~OrderedPool() { join(true); }
  OrderedPool(const OrderedPool&) = delete;
  OrderedPool& operator=(const OrderedPool&) = delete;

  // Waits until `not_before` unless the workers are done or stopping, then up to `wait` for the
  // next result in order; appends every ready result that continues the order to `out`.
  // Returns true once the workers are gone and every result they finished has been taken.
  bool take(std::vector<Result>& out, std::chrono::milliseconds wait,
            std::chrono::steady_clock::time_point not_before = {}) {
    std::unique_lock<std::mutex> lk(mu_);
    cv_done_.wait_until(lk, not_before, [&] { return running_ == 0 || stopping(); });
    cv_done_.wait_for(lk, wait,
                      [&] { return ready_.count(next_take_) || running_ == 0 || stopping(); });
    // Claimed units always finish (or fail, which aborts), so a gap cannot remain once the
    // workers are gone.
    if (running_ == 0 && !ready_.empty() && !ready_.count(next_take_))
      next_take_ = ready_.begin()->first;
    for (auto it = ready_.find(next_take_); it != ready_.end(); it = ready_.find(next_take_)) {
      out.push_back(std::move(it->second));
      ready_.erase(it);
      ++next_take_;
    }
    cv_space_.notify_all();  // room for more units, or a stop to notice
    return running_ == 0 && ready_.empty();
  }

  // Wakes workers waiting for room, so that a stop request that changed `stop()` is seen.
  void wake() {
    std::lock_guard<std::mutex> lk(mu_);
    cv_space_.notify_all();
  }

  // Stops the workers after their current unit and joins them.
  void join(bool abort = false) {
    {
      std::lock_guard<std::mutex> lk(mu_);
      if (abort) abort_ = true;
      cv_space_.notify_all();
    }
    for (std::thread& t : pool_)
      if (t.joinable()) t.join();
  }

  // The first exception a unit threw, if any (after join).
  void rethrow() const {
    if (error_) std::rethrow_exception(error_);
  }
  bool failed() const { return error_ != nullptr; }

 private:
  void work(const std::function<Work()>& make_work) {
    try {
      const Work f = make_work();
      for (;;) {
        std::size_t pos;
        {
          std::unique_lock<std::mutex> lk(mu_);
          cv_space_.wait(lk, [&] { return next_claim_ < next_take_ + ahead_ || stopping(); });
          if (next_claim_ >= positions_ || stopping()) break;
          if (may_claim_ && !may_claim_(next_claim_)) break;
          pos = next_claim_++;
        }
        Result r = f(pos);
        std::lock_guard<std::mutex> lk(mu_);
        ready_.emplace(pos, std::move(r));
        cv_done_.notify_one();
      }
    } catch (...) {
      std::lock_guard<std::mutex> lk(mu_);
      if (!error_) error_ = std::current_exception();
      abort_ = true;
      cv_space_.notify_all();
    }
    std::lock_guard<std::mutex> lk(mu_);
    --running_;
    cv_done_.notify_all();
  }
  bool stopping() const { return abort_ || (stop_ && stop_()); }

  const std::size_t positions_, ahead_;
  const std::function<bool()> stop_;
  const std::function<bool(std::size_t)> may_claim_;
  std::mutex mu_;
  std::condition_variable cv_done_, cv_space_;
  std::map<std::size_t, Result> ready_;  // by position
  std::size_t next_claim_ = 0, next_take_ = 0;
  unsigned running_;
  bool abort_ = false;
  std::exception_ptr error_;
  std::vector<std::thread> pool_;
};

}  // namespace morsim::parallel
