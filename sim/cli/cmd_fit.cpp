// `morsim fit FIT.toml -o FIT.h5`: estimate model parameters from data (docs/fit.md).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <iostream>

#include "cli/commands.hpp"
#include "cli/progress_line.hpp"
#include "fit/estimate.hpp"
#include "fit/fit_file.hpp"
#include "fit/fit_report.hpp"
#include "fit/fit_spec.hpp"
#include "io/partial_file.hpp"
#include "model/errors.hpp"

namespace morsim::cli {

void add_fit_command(CLI::App& app, int* exit_code) {
  auto* cmd = app.add_subcommand(
      "fit",
      "Estimate model parameters from observations by weighted least squares and write HDF5.\n"
      "Example: morsim fit configs/calibration/naltrexone-brain.toml -o fit.h5 --plot fit.png\n"
      "         morsim fit configs/calibration/naltrexone-brain.toml --check");
  struct Args {
    std::string config, output, plot;
    std::vector<std::string> set;
    unsigned threads = 0;
    bool force = false, quiet = false, check = false;
  };
  auto args = std::make_shared<Args>();
  cmd->add_option("fit", args->config, "Fit file (TOML)")->required();
  cmd->add_option("-o,--output", args->output, "Results file (HDF5); required unless --check");
  cmd->add_option("--plot", args->plot, "Also draw the fit (.png, .svg or .pdf)");
  cmd->add_option("--threads", args->threads,
                  "Threads for the simulations of one evaluation (default: every core)")
      ->check(CLI::Range(0, 1024));
  cmd->add_option("--set", args->set,
                  "Override a parameter in every dataset's scenario before the fit parameters, "
                  "e.g. --set 'naltrexone.koff=0.35 /min' (repeatable)");
  cmd->add_flag("-f,--force", args->force, "Replace existing output files");
  cmd->add_flag("-q,--quiet", args->quiet, "Print nothing but errors (no progress)");
  cmd->add_flag("--check", args->check,
                "Fit nothing: compare every dataset with the model at the shipped values and exit "
                "1 if one misses its tolerance");
  cmd->callback([args, exit_code] {
    *exit_code = guarded("fit", [&]() -> int {
      if (args->check && (!args->output.empty() || !args->plot.empty())) {
        std::cerr << "morsim fit: --check writes no file (allowed: --check without -o and "
                     "--plot)\n";
        return kBadInput;
      }
      if (!args->check && args->output.empty()) {
        std::cerr << "morsim fit: -o/--output is required (or --check)\n";
        return kBadInput;
      }
      try {  // a refusal is a usage error, before any work
        if (!args->check) check_output(args->output, args->force, OutputKind::kResults);
        if (!args->plot.empty()) check_output(args->plot, args->force, OutputKind::kFigure);
      } catch (const std::exception& e) {
        std::cerr << "morsim fit: " << e.what() << "\n";
        return kBadInput;
      }
      const fit::FitSpec spec = fit::load_fit_file(args->config, args->set);
      if (args->check) {
        for (std::size_t i = 0; i < spec.datasets.size(); ++i)
          if (std::isnan(spec.datasets[i].tolerance))
            throw ConfigError(spec.path, spec.datasets[i].line,
                              "dataset[" + std::to_string(i) + "].tolerance",
                              "missing (required by --check: the largest |model - data| "
                              "allowed, in the value's unit)");
        const fit::CheckResult c = fit::check(spec, args->threads);
        const std::string report = fit::format_check(spec, c);
        if (!args->quiet)
          std::cout << report;
        else if (!c.passed)
          std::cerr << report;
        return c.passed ? kSuccess : kRunFailure;
      }
      fit::EstimateOptions opt;
      opt.threads = args->threads;
      // Counted in Ceres iterations against max_iterations, which a converging fit does not
      // reach: the ETA is an upper bound.
      ProgressLine progress("fit", "iterations", args->quiet, true);
      const auto most = static_cast<std::uint64_t>(std::max(spec.max_iterations, 1));
      opt.progress = [&](const fit::IterationReport& it) {
        char detail[96];
        std::snprintf(detail, sizeof detail, "objective %.7g  step %.4g%s", it.objective,
                      it.step_norm, it.iteration > 0 && !it.successful ? " (rejected)" : "");
        progress(std::min(static_cast<std::uint64_t>(it.iteration), most), most, detail);
      };
      const fit::FitResult r = fit::estimate(spec, opt);
      const auto iterations = static_cast<std::uint64_t>(std::max(r.iterations, 0));
      char last[96];
      std::snprintf(last, sizeof last, "objective %.7g  %s", r.objective, r.termination.c_str());
      progress(iterations, iterations, last);  // the last line: the iterations it took
      progress.end();
      if (r.termination == "FAILURE") {
        std::cerr << "morsim fit: the fit failed: " << r.message << "\n";
        return kRunFailure;
      }
      FitWriteOptions w;
      w.force = args->force;
      w.command = "morsim fit " + args->config;
      for (const std::string& s : args->set) w.command += " --set '" + s + "'";
      write_fit_file(args->output, spec, r, w);
      if (!args->plot.empty()) plot_fit_file(args->output, args->plot, args->force);
      if (!args->quiet) {
        std::cout << fit::format_estimates(spec, r) << "\n"
                  << fit::format_residuals(spec, r.datasets) << "\n"
                  << fit::format_model_snippet(spec, r) << "\nresults in " << args->output << "\n";
        if (!args->plot.empty()) std::cout << "figure: " << args->plot << "\n";
        if (!r.converged)
          std::cout << "note: Ceres stopped without convergence (" << r.termination
                    << "); raise [fit] max_iterations or check the starting values\n";
      }
      return kSuccess;
    });
  });
}

}  // namespace morsim::cli
