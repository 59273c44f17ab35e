// Rank 0 prepares the file serially (create, or reopen for resume) and lists the pending
// blocks; every rank takes a contiguous share of them (contiguous indices share the
// evaluator's prefix cache) and computes it on its own thread pool. The main thread of each
// rank then writes in rounds: one MPI_Allreduce agrees on whether anyone still works, stops or
// flushes, then one collective write in which each rank writes every block it has finished
// in order (possibly none). At the end rank 0 gathers the error messages and writes them and
// the `complete` flag serially.
#if MORSIM_WITH_MPI

#include "sweep/mpi_runner.hpp"

#include <mpi.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <thread>
#include <vector>

#include "model/errors.hpp"
#include "sweep/block_pool.hpp"
#include "sweep/mpi_sweep_file.hpp"
#include "sweep/result_block.hpp"
#include "sweep/sweep_file.hpp"

namespace morsim::sweep {

namespace {

using Block = ResultBlock;

// Rank 0's failure message to every rank (collective); throws on all ranks when non-empty.
void agree_on_failure(const std::string& message, int rank) {
  unsigned long len = message.size();
  MPI_Bcast(&len, 1, MPI_UNSIGNED_LONG, 0, MPI_COMM_WORLD);
  if (len == 0) return;
  std::string m = rank == 0 ? message : std::string(len, ' ');
  MPI_Bcast(m.data(), static_cast<int>(len), MPI_CHAR, 0, MPI_COMM_WORLD);
  throw OutputError(m);
}

void bcast_u64s(std::vector<std::uint64_t>& v) {
  unsigned long n = v.size();
  MPI_Bcast(&n, 1, MPI_UNSIGNED_LONG, 0, MPI_COMM_WORLD);
  v.resize(n);
  if (n) MPI_Bcast(v.data(), static_cast<int>(n), MPI_UINT64_T, 0, MPI_COMM_WORLD);
}

// Every rank's errors on rank 0, sorted by scenario index (as the serial runner writes them).
std::vector<ScenarioError> gather_errors(const std::vector<ScenarioError>& mine, int rank,
                                         int size) {
  std::string buf;  // index (8 bytes), length (8 bytes), message
  for (const ScenarioError& e : mine) {
    const std::uint64_t len = e.message.size();
    buf.append(reinterpret_cast<const char*>(&e.index), 8);
    buf.append(reinterpret_cast<const char*>(&len), 8);
    buf += e.message;
  }
  int n = static_cast<int>(buf.size());
  std::vector<int> counts(static_cast<std::size_t>(size)), displs(static_cast<std::size_t>(size));
  MPI_Gather(&n, 1, MPI_INT, counts.data(), 1, MPI_INT, 0, MPI_COMM_WORLD);
  std::string all;
  if (rank == 0) {
    int total = 0;
    for (int r = 0; r < size; ++r) {
      displs[static_cast<std::size_t>(r)] = total;
      total += counts[static_cast<std::size_t>(r)];
    }
    all.resize(static_cast<std::size_t>(total));
  }
  MPI_Gatherv(buf.data(), n, MPI_CHAR, all.data(), counts.data(), displs.data(), MPI_CHAR, 0,
              MPI_COMM_WORLD);
  std::vector<ScenarioError> out;
  for (std::size_t pos = 0; pos + 16 <= all.size();) {
    ScenarioError e;
    std::uint64_t len = 0;
    std::memcpy(&e.index, all.data() + pos, 8);
    std::memcpy(&len, all.data() + pos + 8, 8);
    e.message = all.substr(pos + 16, len);
    pos += 16 + len;
    out.push_back(std::move(e));
  }
  std::stable_sort(out.begin(), out.end(), [](const ScenarioError& a, const ScenarioError& b) {
    return a.index < b.index;
  });
  return out;
}

// MPI_Allreduce without busy-polling: a rank waiting for the others sleeps instead of
// spinning on a core its worker threads need.
void allreduce_quietly(const void* in, void* out, int count, MPI_Datatype type, MPI_Op op) {
  MPI_Request req;
  MPI_Iallreduce(in, out, count, type, op, MPI_COMM_WORLD, &req);
  for (int done = 0;;) {
    MPI_Test(&req, &done, MPI_STATUS_IGNORE);
    if (done) return;
    std::this_thread::sleep_for(std::chrono::microseconds(200));
  }
}

}  // namespace

int mpi_world_size() {
  int init = 0, fin = 0, size = 1;
  MPI_Initialized(&init);
  MPI_Finalized(&fin);
  if (init && !fin) MPI_Comm_size(MPI_COMM_WORLD, &size);
  return size;
}

int mpi_world_rank() {
  int init = 0, fin = 0, rank = 0;
  MPI_Initialized(&init);
  MPI_Finalized(&fin);
  if (init && !fin) MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  return rank;
}

RunSummary run_sweep_mpi(const SweepSpec& sw, const std::string& output, const RunOptions& opt) {
  const auto t_start = std::chrono::steady_clock::now();
  const int rank = mpi_world_rank(), size = mpi_world_size();
  // Every rank has looked at OUTPUT (exists? complete?) before rank 0 touches it.
  MPI_Barrier(MPI_COMM_WORLD);
  const unsigned threads =
      opt.threads ? opt.threads : std::max(1u, std::thread::hardware_concurrency());
  const std::uint64_t n = sw.design->size();
  const std::size_t np = sw.parameters.size(), nm = sw.metrics.size();

  // Rank 0: the block size (ranks may have different core counts) and the pending blocks.
  std::vector<std::uint64_t> header{0, 0}, blocks;  // block size, scenarios to run
  {
    std::string failure;
    if (rank == 0) {
      try {
        const std::uint64_t per = static_cast<std::uint64_t>(16) * threads * size;
        const std::uint64_t bs = opt.block ? opt.block : std::clamp<std::uint64_t>(n / per, 1, 256);
        header[0] = bs;
        SweepFile file =
            opt.resume ? SweepFile::open_for_resume(output, sw) : SweepFile::create(output, sw);
        blocks = pending_blocks(file, n, bs, opt.resume, header[1]);
        file.close(false);
      } catch (const std::exception& e) {
        failure = e.what();
        if (failure.empty()) failure = "could not prepare " + output;
      }
    }
    agree_on_failure(failure, rank);
    bcast_u64s(header);
    bcast_u64s(blocks);
  }
  const std::uint64_t bs = header[0];
  RunSummary sum;
  sum.total = n;
  sum.to_run = header[1];

  // This rank's contiguous share of the pending blocks.
  const std::size_t nb = blocks.size();
  const std::size_t lo = nb * static_cast<std::size_t>(rank) / static_cast<std::size_t>(size);
  const std::size_t hi = nb * static_cast<std::size_t>(rank + 1) / static_cast<std::size_t>(size);
  std::vector<std::uint64_t> mine(blocks.begin() + static_cast<long>(lo),
                                  blocks.begin() + static_cast<long>(hi));
  std::uint64_t limit = opt.limit;
  if (const char* s = std::getenv("MORSIM_SWEEP_STOP_AFTER"))
    limit = std::min<std::uint64_t>(limit, std::strtoull(s, nullptr, 10));

  MpiSweepFile file(output, np, nm, sw.trajectory_points(), MPI_COMM_WORLD);

  // Rounds at most every `interval` (MORSIM_MPI_WRITE_INTERVAL_MS, default 100): fewer, larger
  // collective writes; the look-ahead lets workers compute through about two intervals.
  long interval_ms = 100;
  if (const char* s = std::getenv("MORSIM_MPI_WRITE_INTERVAL_MS")) interval_ms = std::atol(s);
  const auto interval = std::chrono::milliseconds(std::max(0L, interval_ms));
  std::atomic<bool> all_stop{false};  // some rank was asked to stop
  BlockPool pool(sw, std::move(mine), bs, limit, threads, 8 * static_cast<std::size_t>(threads),
                 [&] { return all_stop.load() || (opt.stop && opt.stop->load()); });

  std::vector<ScenarioError> errors;
  std::uint64_t done_mine = 0, failed_mine = 0, reported = 0;
  bool progressed = false;
  auto last_flush = std::chrono::steady_clock::now(), last_round = last_flush;
  try {
    RowRanges ranges;
    std::vector<double> params, metrics, traj;
    std::vector<std::int8_t> status;
    std::vector<Block> taken;
    for (;;) {
      ranges.clear();
      params.clear();
      metrics.clear();
      traj.clear();
      status.clear();
      taken.clear();
      const bool finished = pool.take(taken, std::chrono::milliseconds(200), last_round + interval);
      for (const Block& b : taken) {
        if (!ranges.empty() && ranges.back().first + ranges.back().second == b.start)
          ranges.back().second += b.count;
        else
          ranges.emplace_back(b.start, b.count);
        params.insert(params.end(), b.params.begin(), b.params.end());
        metrics.insert(metrics.end(), b.metrics.begin(), b.metrics.end());
        traj.insert(traj.end(), b.traj.begin(), b.traj.end());
        status.insert(status.end(), b.status.begin(), b.status.end());
        errors.insert(errors.end(), b.errors.begin(), b.errors.end());
        failed_mine += b.errors.size();
        done_mine += b.count;
      }
      const auto now = std::chrono::steady_clock::now();
      last_round = now;
      // {still working, has rows, stop requested, flush due (rank 0's clock)}
      int flags[4] = {finished ? 0 : 1, ranges.empty() ? 0 : 1,
                      opt.stop && opt.stop->load() ? 1 : 0,
                      rank == 0 && now - last_flush > std::chrono::seconds(5) ? 1 : 0};
      int agreed[4];
      allreduce_quietly(flags, agreed, 4, MPI_INT, MPI_MAX);
      if (agreed[2] && !all_stop.exchange(true)) pool.wake();
      if (agreed[1])
        file.write_rows(ranges, params.data(), metrics.data(), traj.data(), status.data());
      if (agreed[3]) {
        file.flush();
        last_flush = now;
      }
      unsigned long long mine_done = done_mine, total_done = 0;
      allreduce_quietly(&mine_done, &total_done, 1, MPI_UNSIGNED_LONG_LONG, MPI_SUM);
      if (rank == 0 && opt.progress && (total_done != reported || !progressed)) {
        opt.progress(total_done, sum.to_run);
        reported = total_done;
        progressed = true;
      }
      if (!agreed[0]) break;
    }
  } catch (const std::exception& e) {
    // A failed collective write leaves the other ranks waiting: end the job. Rows not yet
    // marked done stay pending for --resume.
    pool.join(true);
    std::fprintf(stderr, "morsim sweep (rank %d): %s\n", rank, e.what());
    MPI_Abort(MPI_COMM_WORLD, 3);
  }
  pool.join();
  file.close();

  unsigned long long local[2] = {done_mine, failed_mine}, global[2] = {0, 0};
  MPI_Allreduce(local, global, 2, MPI_UNSIGNED_LONG_LONG, MPI_SUM, MPI_COMM_WORLD);
  sum.done = global[0];
  sum.failed = global[1];
  sum.interrupted = sum.done < sum.to_run;
  const std::vector<ScenarioError> all_errors = gather_errors(errors, rank, size);
  std::string failure;
  if (rank == 0) {
    try {
      SweepFile f = SweepFile::open_for_resume(output, sw);  // also clears the error table
      f.append_errors(all_errors);
      f.close(!sum.interrupted);
    } catch (const std::exception& e) {
      failure = e.what();
    }
  }
  agree_on_failure(failure, rank);
  sum.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t_start).count();
  return sum;
}

}  // namespace morsim::sweep

#endif  // MORSIM_WITH_MPI
