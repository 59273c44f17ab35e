// Throughput of `morsim sweep` on the surmountability sweep (docs: benchmarks/README-sweep.md).
//   bench_sweep [SWEEP.toml] [--n N] [--threads T] [--out FILE]
// Prints scenarios/s for the evaluator alone (one thread, no I/O) and for the full runner
// (worker pool + HDF5 streaming) at the requested thread counts.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "sweep/evaluator.hpp"
#include "sweep/runner.hpp"
#include "sweep/sweep_spec.hpp"

using namespace morsim::sweep;

int main(int argc, char** argv) {
  std::string path = std::string(MORSIM_SOURCE_DIR) + "/configs/sweeps/surmountability.toml";
  std::string out = "/tmp/bench_sweep.h5";
  std::vector<unsigned> threads{1, 2};
  std::uint64_t n_eval = 2000;
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--n") && i + 1 < argc)
      n_eval = std::strtoull(argv[++i], nullptr, 10);
    else if (!std::strcmp(argv[i], "--threads") && i + 1 < argc)
      threads = {static_cast<unsigned>(std::atoi(argv[++i]))};
    else if (!std::strcmp(argv[i], "--out") && i + 1 < argc)
      out = argv[++i];
    else
      path = argv[i];
  }
  const SweepSpec sw = load_sweep_file(path);
  const std::uint64_t n = std::min<std::uint64_t>(n_eval, sw.design->size());
  {
    Evaluator ev(sw);
    std::vector<double> p(sw.parameters.size()), m(sw.metrics.size()),
        t(2 * sw.trajectory_points() + 1);
    const auto t0 = std::chrono::steady_clock::now();
    for (std::uint64_t i = 0; i < n; ++i) ev.evaluate(i, p.data(), m.data(), t.data());
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    const auto st = ev.stats();
    std::printf(
        "evaluator, 1 thread, no I/O: %llu scenarios in %.3f s = %.0f /s; %.1f steps "
        "(+%.1f rejected) per scenario\n",
        static_cast<unsigned long long>(n), s, static_cast<double>(n) / s,
        static_cast<double>(st.steps) / static_cast<double>(n),
        static_cast<double>(st.rejected_steps) / static_cast<double>(n));
  }
  for (unsigned th : threads) {
    RunOptions opt;
    opt.threads = th;
    const RunSummary r = run_sweep(sw, out, opt);
    std::printf(
        "runner, %u thread(s), HDF5 streaming: %llu scenarios in %.3f s = %.0f /s "
        "(%.0f /s per thread), %llu failed\n",
        th, static_cast<unsigned long long>(r.done), r.seconds,
        static_cast<double>(r.done) / r.seconds, static_cast<double>(r.done) / r.seconds / th,
        static_cast<unsigned long long>(r.failed));
  }
  return 0;
}
