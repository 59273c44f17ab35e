// Workers claim blocks of indices in order; the calling thread writes finished blocks in
// order (bounded look-ahead keeps memory independent of the sweep size).
#include "sweep/runner.hpp"

#include <algorithm>
#include <chrono>
#include <thread>
#include <vector>

#include "sweep/block_pool.hpp"
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
  SweepFile file =
      opt.resume ? SweepFile::open_for_resume(output, sw) : SweepFile::create(output, sw);

  RunSummary sum;
  sum.total = n;
  BlockPool pool(sw, pending_blocks(file, n, bs, opt.resume, sum.to_run), bs, opt.limit, threads,
                 4 * static_cast<std::size_t>(threads),
                 [&] { return opt.stop && opt.stop->load(); });

  // Writer: in order of position, so the file fills front to back.
  auto last_flush = std::chrono::steady_clock::now();
  std::vector<Block> taken;
  for (bool finished = false; !finished;) {
    taken.clear();
    finished = pool.take(taken, std::chrono::milliseconds(200));
    for (const Block& blk : taken) {
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
    }
    if (opt.progress) opt.progress(sum.done, sum.to_run);
  }
  pool.join();
  sum.interrupted = sum.done < sum.to_run;
  file.close(!sum.interrupted);
  sum.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t_start).count();
  return sum;
}

}  // namespace morsim::sweep
