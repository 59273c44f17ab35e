// `morsim run SCENARIO.toml -o OUT.h5`: simulate every arm of a scenario file.
#include <iostream>

#include "cli/commands.hpp"
#include "cli/scenario_runner.hpp"
#include "config/load_scenario.hpp"

namespace morsim::cli {

void add_run_command(CLI::App& app, int* exit_code) {
  auto* cmd = app.add_subcommand("run",
                                 "Simulate every arm of a scenario file and write HDF5.\n"
                                 "Example: morsim run configs/demo/depot-blockade.toml "
                                 "-o depot.h5 --plot depot.png");
  struct Args {
    std::string config, output, plot;
    std::vector<std::string> set;
    bool force = false, quiet = false, allow_large = false;
  };
  auto args = std::make_shared<Args>();
  cmd->add_option("scenario", args->config, "Scenario file (TOML)")->required();
  cmd->add_option("-o,--output", args->output, "Results file (HDF5)")->required();
  cmd->add_option("--plot", args->plot, "Also draw the figure (.png, .svg or .pdf)");
  cmd->add_option("--set", args->set,
                  "Override a parameter, e.g. --set 'naltrexone.ke0=1.5 /h' (repeatable)");
  cmd->add_flag("-f,--force", args->force, "Replace existing output files");
  cmd->add_flag("-q,--quiet", args->quiet, "Print nothing but errors");
  cmd->add_flag("--allow-large", args->allow_large,
                "Run even if the results would exceed 2 GB (refused otherwise)");
  cmd->callback([args, exit_code] {
    *exit_code = guarded("run", [&]() -> int {
      const ScenarioSpec spec = load_scenario_file(args->config, args->set);
      RunRequest req;
      req.output_h5 = args->output;
      req.figure = args->plot;
      req.config_path = args->config;
      req.force = args->force;
      req.quiet = args->quiet;
      req.command_line = "morsim run " + args->config;
      try {
        check_outputs_free(req);  // a refusal is a usage error, before any work
        check_output_size(spec, args->allow_large);
      } catch (const std::exception& e) {
        std::cerr << "morsim run: " << e.what() << "\n";
        return kBadInput;
      }
      run_and_write(spec, req);
      return kSuccess;
    });
  });
}

}  // namespace morsim::cli
