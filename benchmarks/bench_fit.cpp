// Cost of `morsim fit`: one fit file (default configs/calibration/naltrexone-brain.toml, or
// tests/data/fit/bench-naltrexone.toml while that does not exist) fitted on one thread, as the
// command does it (start, Ceres iterations, covariance Jacobian, model curves). Prints wall
// time, iterations and simulations. Numbers: benchmarks/README-fit.md.
//   bench_fit [FIT.toml] [--threads T] [--repeat R]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>

#include "fit/estimate.hpp"
#include "fit/fit_spec.hpp"

using namespace morsim;

int main(int argc, char** argv) {
  const std::string source = MORSIM_SOURCE_DIR;
  std::string config = source + "/configs/calibration/naltrexone-brain.toml";
  if (!std::filesystem::exists(config)) config = source + "/tests/data/fit/bench-naltrexone.toml";
  unsigned threads = 1;
  int repeat = 1;
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--threads") && i + 1 < argc)
      threads = static_cast<unsigned>(std::atoi(argv[++i]));
    else if (!std::strcmp(argv[i], "--repeat") && i + 1 < argc)
      repeat = std::max(1, std::atoi(argv[++i]));
    else
      config = argv[i];
  }
  try {
    const auto t_load = std::chrono::steady_clock::now();
    const fit::FitSpec spec = fit::load_fit_file(config);
    const double load_s =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t_load).count();
    std::printf(
        "%s: %zu parameters, %zu datasets, %zu observations (loaded and checked in %.3f s)\n",
        config.c_str(), spec.parameters.size(), spec.datasets.size(), spec.n_observations(),
        load_s);
    double best = 1e300;
    for (int k = 0; k < repeat; ++k) {
      fit::EstimateOptions opt;
      opt.threads = threads;
      const fit::FitResult r = fit::estimate(spec, opt);
      best = std::min(best, r.seconds);
      std::printf(
          "fit on %u thread(s): %.2f s wall, %d iterations (%s), %ld simulations (%.2f ms each "
          "per thread), objective %.6g -> %.6g\n",
          r.threads, r.seconds, r.iterations, r.termination.c_str(), r.simulations,
          1e3 * r.seconds * r.threads / static_cast<double>(r.simulations), r.objective_start,
          r.objective);
    }
    if (repeat > 1) std::printf("best of %d: %.2f s\n", repeat, best);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_fit: %s\n", e.what());
    return 1;
  }
  return 0;
}
