// `morsim population FILE.toml -o OUT.h5`: virtual patients with variability and adherence.
#include <unistd.h>

#include <cstdio>
#include <iostream>

#include "cli/commands.hpp"
#include "cli/progress_line.hpp"
#include "io/partial_file.hpp"
#include "population/occupancy_scratch.hpp"
#include "population/population_file.hpp"
#include "population/population_runner.hpp"
#include "population/population_summary.hpp"
#if MORSIM_WITH_MPI
#include "population/mpi_population.hpp"
#endif

namespace morsim::cli {

namespace {

#if !MORSIM_WITH_MPI
// Removes the checkpoint when the command ends: after the result is committed, or on a failure
// (a solver error would fail again; a full disk needs the space). Only a kill or Ctrl-C leaves
// it, for --resume.
class CheckpointRemoval {
 public:
  explicit CheckpointRemoval(std::string path) : path_(std::move(path)) {}
  ~CheckpointRemoval() { std::remove(path_.c_str()); }
  CheckpointRemoval(const CheckpointRemoval&) = delete;
  CheckpointRemoval& operator=(const CheckpointRemoval&) = delete;

 private:
  std::string path_;
};

// Decides what to do with an existing checkpoint before any work: "" and `resume` set, or the
// one-line reason to refuse (exit 2).
std::string checkpoint_decision(const std::string& path, const population::PopulationSpec& ps,
                                bool want_resume, bool force, bool* resume) {
  *resume = false;
  if (access(path.c_str(), F_OK) != 0) return "";
  if (force && !want_resume) {  // --force discards it; with --resume it only replaces OUT
    std::remove(path.c_str());
    return "";
  }
  population::CheckpointStatus st;
  try {
    st = population::inspect_checkpoint(path, population::run_identity(ps));
  } catch (const std::exception& e) {
    return path + " exists but cannot be read (" + e.what() + "); discard it with --force";
  }
  if (!want_resume)
    return path + " holds an interrupted run of this output (" + std::to_string(st.done) + " of " +
           std::to_string(st.units) +
           " work units done); continue it with --resume or discard it with --force";
  if (!st.mismatch.empty())
    return "cannot resume from " + path + ": " + st.mismatch +
           " (discard it with --force, without --resume)";
  *resume = true;
  return "";
}
#endif

}  // namespace

void add_population_command(CLI::App& app, int* exit_code) {
  auto* cmd = app.add_subcommand(
      "population",
      "Simulate virtual patients (parameter variability, adherence, heroin use) per arm and "
      "write percentile bands and outcomes to HDF5. Finished work is kept in OUTPUT.checkpoint "
      "while the run lasts: after a kill or Ctrl-C, the same command with --resume continues "
      "it.\n"
      "Example: morsim population configs/population/oral-vs-depot.toml -o pop.h5 "
      "--subjects 1000 --threads 2");
  struct Args {
    std::string config, output;
    std::uint64_t subjects = 0, seed = 0;
    bool seed_given = false;
    unsigned threads = 0;
    bool force = false, quiet = false, resume = false;
  };
  auto args = std::make_shared<Args>();
  cmd->add_option("config", args->config, "Population config (TOML)")->required();
  cmd->add_option("-o,--output", args->output, "Results file (HDF5)")->required();
  cmd->add_option("--subjects", args->subjects, "Subjects per arm (default: the config's)")
      ->check(CLI::Range(std::uint64_t{1}, std::uint64_t{10'000'000}));
  auto* seed = cmd->add_option("--seed", args->seed, "Random seed (default: the config's)");
  cmd->add_option("--threads", args->threads, "Worker threads; 0 = every core")
      ->check(CLI::Range(0, 1024));
  cmd->add_flag("--resume", args->resume,
                "Continue the interrupted run in OUTPUT.checkpoint (same config, --subjects and "
                "--seed; exit 2 otherwise); without one, start afresh");
  cmd->add_flag("-f,--force", args->force,
                "Replace an existing output file; without --resume, also discard a checkpoint");
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
#if MORSIM_WITH_MPI
      if (args->resume) {  // each rank keeps its own scratch file: nothing one file can resume
        std::cerr << "morsim population: --resume is not available in MPI builds\n";
        return kBadInput;
      }
#else
      opt.checkpoint_path = population::checkpoint_path(args->output);
      remove_stale_temporaries(opt.checkpoint_path);  // one being created by a killed run
      const std::string refusal = checkpoint_decision(opt.checkpoint_path, ps, args->resume,
                                                      args->force, &opt.resume);
      if (!refusal.empty()) {
        std::cerr << "morsim population: " << refusal << "\n";
        return kBadInput;
      }
      if (opt.resume && !args->quiet)
        std::cout << "resuming from " << opt.checkpoint_path << "\n";
      const CheckpointRemoval removal(opt.checkpoint_path);
#endif
      ProgressLine progress("population", "subject-arms", args->quiet);
      opt.progress = [&](std::uint64_t d, std::uint64_t t) { progress(d, t); };
      const population::PopulationResult r = population::run_population(ps, opt);
      progress.end();
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
