// Workers claim blocks of indices in order; the calling thread writes finished blocks in
// order (bounded look-ahead keeps memory independent of the sweep size).
#include "sweep/runner.hpp"

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <limits>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

#include "sweep/evaluator.hpp"
#include "sweep/result_block.hpp"
#include "sweep/sweep_file.hpp"
#if MORSIM_WITH_MPI
#include "sweep/mpi_runner.hpp"
#endif

namespace morsim::sweep {

namespace {

using Block = ResultBlock;

}  // namespace

RunSummary run_sweep(const SweepSpec& sw, const std::string& output, const RunOptions& opt) {
#if MORSIM_WITH_MPI
  if (mpi_world_size() > 1) return run_sweep_mpi(sw, output, opt);  // under mpirun -np N > 1
#endif
  const auto t_start = std::chrono::steady_clock::now();
  const unsigned threads =
      opt.threads ? opt.threads : std::max(1u, std::thread::hardware_concurrency());
  const std::uint64_t n = sw.design->size();
  // Small enough that every thread gets work many times over, large enough to amortise the
  // write; any size gives the same results.
  const std::uint64_t bs =
      opt.block ? opt.block : std::clamp<std::uint64_t>(n / (16 * threads), 1, 256);
  const std::size_t np = sw.parameters.size(), nm = sw.metrics.size(),
                    nt = 2 * sw.trajectory_points();
  SweepFile file =
      opt.resume ? SweepFile::open_for_resume(output, sw) : SweepFile::create(output, sw);

  // The blocks to run: all, or on resume those with a scenario not done (a block is rerun
  // whole; results are deterministic so done rows are rewritten with the same values).
  std::vector<std::uint64_t> blocks;
  RunSummary sum;
  sum.total = n;
  {
    std::vector<std::int8_t> st(bs);
    for (std::uint64_t b = 0; b * bs < n; ++b) {
      const std::uint64_t c = std::min(bs, n - b * bs);
      bool pending = !opt.resume;
      if (opt.resume) {
        file.read_status(b * bs, c, st.data());
        pending = std::any_of(st.begin(), st.begin() + static_cast<long>(c),
                              [](std::int8_t s) { return s != kDone; });
      }
      if (pending) {
        blocks.push_back(b);
        sum.to_run += c;
      }
    }
  }

  std::mutex mu;
  std::condition_variable cv_done, cv_space;
  std::map<std::size_t, Block> ready;  // by position in `blocks`
  std::size_t next_claim = 0, next_write = 0;
  std::uint64_t started = 0;
  unsigned running = threads;
  const std::size_t ahead = 4 * static_cast<std::size_t>(threads);
  std::atomic<bool> abort{false};  // the writer failed: workers stop too
  auto stopping = [&] { return abort.load() || (opt.stop && opt.stop->load()); };

  auto worker = [&] {
    Evaluator ev(sw);
    for (;;) {
      std::size_t pos;
      {
        std::unique_lock<std::mutex> lk(mu);
        cv_space.wait(lk, [&] { return next_claim < next_write + ahead || stopping(); });
        if (next_claim >= blocks.size() || stopping() || started >= opt.limit) break;
        pos = next_claim++;
        started += std::min(bs, n - blocks[pos] * bs);
      }
      const std::uint64_t start = blocks[pos] * bs;
      Block blk = evaluate_block(ev, start, std::min(bs, n - start), np, nm, nt);
      std::lock_guard<std::mutex> lk(mu);
      ready.emplace(pos, std::move(blk));
      cv_done.notify_one();
    }
    std::lock_guard<std::mutex> lk(mu);
    --running;
    cv_done.notify_one();
  };
  std::vector<std::thread> pool;
  for (unsigned i = 0; i < threads; ++i) pool.emplace_back(worker);

  // Writer: in order of position, so the file fills front to back.
  auto last_flush = std::chrono::steady_clock::now();
  try {
    for (;;) {
      Block blk;
      {
        std::unique_lock<std::mutex> lk(mu);
        cv_done.wait_for(lk, std::chrono::milliseconds(200),
                         [&] { return ready.count(next_write) || running == 0 || stopping(); });
        cv_space.notify_all();  // a stop request must wake workers waiting for space
        auto it = ready.find(next_write);
        if (it == ready.end()) {
          if (running == 0 && ready.empty()) break;
          if (running == 0) {
            // Only blocks past a gap remain (cannot happen: claimed blocks always finish).
            it = ready.begin();
          } else {
            if (opt.progress) {
              lk.unlock();
              opt.progress(sum.done, sum.to_run);
            }
            continue;
          }
        }
        blk = std::move(it->second);
        ready.erase(it);
        ++next_write;
        cv_space.notify_all();
      }
      file.write_rows(blk.start, blk.count, blk.params.data(), blk.metrics.data(), blk.traj.data(),
                      blk.status.data());
      file.append_errors(blk.errors);
      sum.done += blk.count;
      sum.failed += blk.errors.size();
      const auto now = std::chrono::steady_clock::now();
      if (now - last_flush > std::chrono::seconds(5)) {
        file.flush();
        last_flush = now;
      }
      if (opt.progress) opt.progress(sum.done, sum.to_run);
    }
  } catch (...) {
    abort = true;
    cv_space.notify_all();
    for (std::thread& t : pool) t.join();
    throw;
  }
  for (std::thread& t : pool) t.join();
  sum.interrupted = sum.done < sum.to_run;
  file.close(!sum.interrupted);
  sum.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t_start).count();
  return sum;
}

}  // namespace morsim::sweep
