// Throughput of `morsim population`: N virtual patients x the arms of a population config
// (default configs/population/oral-vs-depot.toml, 24 weeks), on T threads. Prints wall time,
// per-subject cost and solver steps of a few sample subjects. Numbers:
// benchmarks/README-population.md.
//   bench_population [CONFIG] [--subjects N] [--threads T]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "population/population_runner.hpp"
#include "solver/arm_simulator.hpp"

using namespace morsim;
using namespace morsim::population;

int main(int argc, char** argv) {
  std::string config = std::string(MORSIM_SOURCE_DIR) + "/configs/population/oral-vs-depot.toml";
  std::uint64_t subjects = 10000;
  unsigned threads = 2;
  double initial_step_h = 0.0;  // > 0: override the solver's first step after each dose
  bool probe_only = false;
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--subjects") && i + 1 < argc)
      subjects = std::strtoull(argv[++i], nullptr, 10);
    else if (!std::strcmp(argv[i], "--initial-step") && i + 1 < argc)
      initial_step_h = std::atof(argv[++i]);
    else if (!std::strcmp(argv[i], "--probe-only"))
      probe_only = true;
    else if (!std::strcmp(argv[i], "--threads") && i + 1 < argc)
      threads = static_cast<unsigned>(std::atoi(argv[++i]));
    else
      config = argv[i];
  }
  try {
    PopulationSpec ps = load_population_file(config);
    ps.subjects = subjects;
    if (initial_step_h > 0) ps.scenario.solver.initial_step_h = initial_step_h;

    // Solver work of the first few subjects, per arm.
    const ParameterSampler sampler(ps);
    for (std::size_t a : ps.arms) {
      long steps = 0, rejected = 0, segments = 0;
      const int probe = 20;
      const auto t0 = std::chrono::steady_clock::now();
      for (int s = 0; s < probe; ++s) {
        SubjectParameters drawn;
        const ScenarioSpec spec = sampler.individual(static_cast<std::uint64_t>(s), drawn);
        const Arm arm = individual_arm(ps, a, static_cast<std::uint64_t>(s));
        std::vector<float> ant(band_times(ps).size()), ago(ant.size());
        const Trajectory tr = ArmSimulator(spec).simulate(arm, band_times(ps));
        steps += tr.stats.steps;
        rejected += tr.stats.rejected_steps;
        segments += tr.stats.segments;
      }
      const double ms =
          std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
      std::printf(
          "arm %-10s %7.0f steps (%4.0f rejected), %5.0f segments, %6.2f ms per subject (1 "
          "thread, band grid only)\n",
          ps.scenario.arms[a].name.c_str(), static_cast<double>(steps) / probe,
          static_cast<double>(rejected) / probe, static_cast<double>(segments) / probe, ms / probe);
    }

    if (probe_only) return 0;
    PopulationOptions opt;
    opt.threads = threads;
    const PopulationResult r = run_population(ps, opt);
    const double per = r.seconds * threads / static_cast<double>(subjects * ps.arms.size()) * 1e3;
    std::printf(
        "%llu subjects x %zu arms x %zu band points on %u threads: %.2f s wall "
        "(%.2f ms per subject-arm per thread)\n",
        static_cast<unsigned long long>(subjects), ps.arms.size(), r.band_t_h.size(), r.threads,
        r.seconds, per);
    for (const ArmPopulation& a : r.arms)
      std::printf("  %-10s protected days %.3f, rewarding uses %.2f\n", a.name.c_str(),
                  a.outcomes.mean_protected_day_fraction, a.outcomes.mean_rewarding_uses);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_population: %s\n", e.what());
    return 1;
  }
  return 0;
}
