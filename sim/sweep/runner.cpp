// Workers claim blocks of indices in order; the calling thread writes finished blocks in
// order (bounded look-ahead keeps memory independent of the sweep size) and checkpoints them.
#include "sweep/runner.hpp"

#include <algorithm>
#include <chrono>
#include <thread>
#include <vector>

#include "io/h5_handle.hpp"
#include "sweep/block_pool.hpp"
#include "sweep/result_block.hpp"
#include "sweep/sweep_file.hpp"
#if MORSIM_WITH_MPI
#include "sweep/mpi_runner.hpp"
#endif

namespace morsim::sweep {

namespace {

using Block = ResultBlock;
using Clock = std::chrono::steady_clock;

// A kill loses at most the blocks since the last checkpoint: this much time, or this many
// blocks. A checkpoint flushes only raw chunks (the metadata is fixed at creation): measured
// ~40 us each, 0.1% of a sweep's time even when checkpointing every block (docs/sweeps.md).
constexpr auto kCheckpointInterval = std::chrono::milliseconds(250);
constexpr std::size_t kCheckpointBlocks = 64;

// Writes each block's values at once but its status only at a checkpoint, after a flush has
// put the values on disk: whatever moment the process dies at, a row marked done in the file
// has its values there too (HDF5 may write cached chunks in any order).
class Checkpointer {
 public:
  explicit Checkpointer(SweepFile& file) : file_(file) {}

  void add(const Block& blk) {
    file_.write_values(blk.start, blk.count, blk.params.data(), blk.metrics.data(),
                       blk.traj.data());
    file_.append_errors(blk.errors);
    unmarked_.push_back({blk.start, blk.count, blk.status});
  }
  void commit_if_due() {
    if (unmarked_.size() >= kCheckpointBlocks || Clock::now() - last_ >= kCheckpointInterval)
      commit();
  }
  void commit() {
    if (!unmarked_.empty()) {
      file_.flush();
      for (const Unmarked& u : unmarked_) file_.write_status(u.start, u.count, u.status.data());
      unmarked_.clear();
      file_.flush();
    }
    last_ = Clock::now();
  }

 private:
  struct Unmarked {
    std::uint64_t start, count;
    std::vector<std::int8_t> status;
  };
  SweepFile& file_;
  std::vector<Unmarked> unmarked_;
  Clock::time_point last_ = Clock::now();
};

}  // namespace

RunSummary run_sweep(const SweepSpec& sw, const std::string& output, const RunOptions& opt) {
#if MORSIM_WITH_MPI
  if (mpi_world_size() > 1) return run_sweep_mpi(sw, output, opt);  // under mpirun -np N > 1
#endif
  const auto t_start = Clock::now();
  H5QuietErrors quiet;  // a failed write is reported once, as an OutputError
  const unsigned threads =
      opt.threads ? opt.threads : std::max(1u, std::thread::hardware_concurrency());
  const std::uint64_t n = sw.design->size();
  // Small enough that every thread gets work many times over, large enough to amortise the
  // write; any size gives the same results.
  const std::uint64_t bs =
      opt.block ? opt.block : std::clamp<std::uint64_t>(n / (16 * threads), 1, 256);
  SweepFile file =
      opt.resume ? SweepFile::open_for_resume(output, sw) : SweepFile::create(output, sw);

  RunSummary sum;
  sum.total = n;
  BlockPool pool(sw, pending_blocks(file, n, bs, opt.resume, sum.to_run), bs, opt.limit, threads,
                 4 * static_cast<std::size_t>(threads),
                 [&] { return opt.stop && opt.stop->load(); });

  // Writer: in order of position, so the file fills front to back.
  Checkpointer checkpoint(file);
  std::vector<Block> taken;
  for (bool finished = false; !finished;) {
    taken.clear();
    finished = pool.take(taken, std::chrono::milliseconds(200));
    for (const Block& blk : taken) {
      checkpoint.add(blk);
      sum.done += blk.count;
      sum.failed += blk.errors.size();
    }
    checkpoint.commit_if_due();
    if (opt.progress) opt.progress(sum.done, sum.to_run);
  }
  pool.join();
  checkpoint.commit();
  sum.interrupted = sum.done < sum.to_run;
  file.close(!sum.interrupted);
  sum.seconds = std::chrono::duration<double>(Clock::now() - t_start).count();
  return sum;
}

}  // namespace morsim::sweep
