// `morsim population FILE.toml -o OUT.h5`: virtual patients with variability and adherence.
#include <iostream>

#include "cli/commands.hpp"
#include "io/partial_file.hpp"
#include "io/population_file.hpp"
#include "population/population_runner.hpp"
#include "population/population_summary.hpp"
#if MORSIM_WITH_MPI
#include "population/mpi_population.hpp"
#endif

namespace morsim::cli {

void add_population_command(CLI::App& app, int* exit_code) {
  auto* cmd = app.add_subcommand(
      "population",
      "Simulate virtual patients (parameter variability, adherence, heroin use) per arm and "
      "write percentile bands and outcomes to HDF5.\n"
      "Example: morsim population configs/population/oral-vs-depot.toml -o pop.h5 "
      "--subjects 1000 --threads 2");
  struct Args {
    std::string config, output;
    std::uint64_t subjects = 0, seed = 0;
    bool seed_given = false;
    unsigned threads = 0;
    bool force = false, quiet = false;
  };
  auto args = std::make_shared<Args>();
  cmd->add_option("config", args->config, "Population config (TOML)")->required();
  cmd->add_option("-o,--output", args->output, "Results file (HDF5)")->required();
  cmd->add_option("--subjects", args->subjects, "Subjects per arm (default: the config's)")
      ->check(CLI::Range(std::uint64_t{1}, std::uint64_t{10'000'000}));
  auto* seed = cmd->add_option("--seed", args->seed, "Random seed (default: the config's)");
  cmd->add_option("--threads", args->threads, "Worker threads; 0 = every core")
      ->check(CLI::Range(0, 1024));
  cmd->add_flag("-f,--force", args->force, "Replace an existing output file");
  cmd->add_flag("-q,--quiet", args->quiet, "Print nothing but errors");
  cmd->callback([args, exit_code, seed] {
    *exit_code = guarded("population", [&]() -> int {
      try {
        check_output(args->output, args->force, OutputKind::kResults);
      } catch (const std::exception& e) {
        std::cerr << "morsim population: " << e.what() << "\n";
        return kBadInput;
      }
      population::PopulationSpec ps = population::load_population_file(args->config);
      if (args->subjects > 0) ps.subjects = args->subjects;
      if (seed->count() > 0) ps.seed = args->seed;
      population::PopulationOptions opt;
      opt.threads = args->threads;
      opt.output_path = args->output;
      const population::PopulationResult r = population::run_population(ps, opt);
#if MORSIM_WITH_MPI
      if (!population::mpi_population_writer()) return kSuccess;  // rank 0 writes (mpirun)
#endif
      PopulationWriteOptions w;
      w.force = args->force;
      w.command = "morsim population " + args->config;
      write_population(args->output, ps, r, w);
      if (!args->quiet)
        std::cout << population::format_population_summary(ps, r) << "wrote " << args->output
                  << "\n";
      return kSuccess;
    });
  });
}

}  // namespace morsim::cli
