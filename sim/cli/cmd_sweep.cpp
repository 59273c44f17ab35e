// `morsim sweep SWEEP.toml -o OUT.h5`: many scenarios on every core, streamed into one file.
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <iostream>

#include "cli/commands.hpp"
#include "cli/progress_line.hpp"
#include "model/errors.hpp"
#include "sweep/runner.hpp"
#include "sweep/sweep_file.hpp"
#if MORSIM_WITH_MPI
#include "sweep/mpi_runner.hpp"
#endif
#include "sweep/sweep_spec.hpp"

namespace morsim::cli {

namespace {

std::atomic<bool> g_stop{false};
extern "C" void on_stop_signal(int) { g_stop.store(true); }

// Installs the graceful-stop handlers for its lifetime (replacing the partial-file cleanup,
// which does not apply: the sweep file is written in place on purpose).
class StopOnSignal {
 public:
  StopOnSignal() {
    struct sigaction sa {};
    sa.sa_handler = on_stop_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, &old_int_);
    sigaction(SIGTERM, &sa, &old_term_);
  }
  ~StopOnSignal() {
    sigaction(SIGINT, &old_int_, nullptr);
    sigaction(SIGTERM, &old_term_, nullptr);
  }

 private:
  struct sigaction old_int_ {
  }, old_term_{};
};

// A bar on a terminal, a plain line every few seconds otherwise.
// Why `output` cannot be continued by this sweep (another sweep's file, or not a readable
// sweep file), or "" when it can.
std::string resume_obstacle(const std::string& output, const sweep::SweepSpec& sw) {
  try {
    sweep::SweepFile::check_same_sweep(output, sw);
    return "";
  } catch (const OutputError& e) {
    return e.what();
  }
}

// HDF5 names the temporary file it was writing; the user needs the output's name.
sweep::RunSummary run_naming_output(const sweep::SweepSpec& sw, const std::string& output,
                                    const sweep::RunOptions& opt) {
  try {
    return sweep::run_sweep(sw, output, opt);
  } catch (const OutputError& e) {
    throw OutputError("cannot write " + output + ": " + e.what());
  }
}

}  // namespace

void add_sweep_command(CLI::App& app, int* exit_code) {
  auto* cmd =
      app.add_subcommand("sweep",
                         "Run a parameter sweep and stream its metrics into one HDF5 file.\n"
                         "Example: morsim sweep configs/sweeps/surmountability.toml -o surm.h5");
  struct Args {
    std::string config, output;
    unsigned threads = 0;
    bool resume = false, force = false, quiet = false;
  };
  auto args = std::make_shared<Args>();
  cmd->add_option("sweep", args->config, "Sweep file (TOML)")->required();
  cmd->add_option("-o,--output", args->output, "Results file (HDF5), written in place")->required();
  cmd->add_option("--threads", args->threads, "Worker threads (default: every core)")
      ->check(CLI::Range(0, 1024));
  cmd->add_flag("--resume", args->resume, "Continue an interrupted sweep in OUTPUT");
  cmd->add_flag("-f,--force", args->force, "Replace an existing OUTPUT");
  cmd->add_flag("-q,--quiet", args->quiet, "Print nothing but errors");
  cmd->callback([args, exit_code] {
    *exit_code = guarded("sweep", [&]() -> int {
      const sweep::SweepSpec sw = sweep::load_sweep_file(args->config);
      const bool exists = std::filesystem::exists(args->output);
      sweep::RunOptions opt;
      opt.threads = args->threads;
      opt.resume = args->resume && exists && !args->force;
      if (exists && !args->resume && !args->force) {
        std::cerr << "morsim sweep: " << args->output << " exists";
        if (sweep::SweepFile::is_complete(args->output))
          std::cerr << " and holds a complete sweep; use --force to replace it\n";
        else if (const std::string why = resume_obstacle(args->output, sw); !why.empty())
          std::cerr << " and cannot be resumed (" << why << "); use --force to replace it\n";
        else
          std::cerr << "; use --resume to continue it or --force to replace it\n";
        return kBadInput;
      }
      // Complete or not, only a file of this very sweep is continued (or called complete).
      if (opt.resume) {
        if (const std::string why = resume_obstacle(args->output, sw); !why.empty()) {
          std::cerr << "morsim sweep: " << why << "\n";
          return kBadInput;
        }
      }
      if (opt.resume && sweep::SweepFile::is_complete(args->output)) {
        if (!args->quiet) std::cerr << "morsim sweep: " << args->output << " is already complete\n";
        return kSuccess;
      }
      g_stop = false;
      StopOnSignal handlers;
      ProgressLine progress("sweep", "scenarios", args->quiet);
      opt.stop = &g_stop;
      opt.progress = [&](std::uint64_t d, std::uint64_t t) { progress(d, t); };
      const sweep::RunSummary s = run_naming_output(sw, args->output, opt);
      progress.end();
      if (s.interrupted) {
        std::cerr << "morsim sweep: interrupted after " << s.done << " of " << s.to_run
                  << " scenarios; " << args->output << " is valid; continue with --resume\n";
        return kRunFailure;
      }
      bool report = !args->quiet;
#if MORSIM_WITH_MPI
      report = report && sweep::mpi_world_rank() == 0;  // every rank holds the same summary
#endif
      if (report)
        std::cerr << "morsim sweep: " << s.done << " scenarios (" << s.failed << " failed) in "
                  << s.seconds << " s -> " << args->output << "\n";
      return kSuccess;
    });
  });
}

}  // namespace morsim::cli
