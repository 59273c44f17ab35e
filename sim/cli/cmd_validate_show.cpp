// `morsim validate FILE` checks a scenario without running it; `morsim show FILE` prints the
// assembled model as a student would read it.
#include <cstdio>
#include <iostream>

#include "cli/commands.hpp"
#include "cli/scenario_runner.hpp"
#include "config/load_scenario.hpp"
#include "solver/compiled_model.hpp"

namespace morsim::cli {
namespace {

// What `morsim run` would hold and write, so a run too large is found before it starts.
std::string results_size_text(const ScenarioSpec& spec) {
  const OutputSize o = predicted_output_size(spec);
  char text[200];
  std::snprintf(
      text, sizeof text, "%.3g samples, about %.3g MB of results%s", o.samples, o.bytes / 1e6,
      o.bytes > kLargeOutputBytes ? ", which morsim run refuses without --allow-large" : "");
  return text;
}

}  // namespace

void add_validate_command(CLI::App& app, int* exit_code) {
  auto* cmd = app.add_subcommand("validate",
                                 "Check a scenario file without running it.\n"
                                 "Example: morsim validate configs/demo/surmount.toml");
  auto files = std::make_shared<std::vector<std::string>>();
  cmd->add_option("scenario", *files, "Scenario file(s) (TOML)")->required();
  cmd->callback([files, exit_code] {
    *exit_code = kSuccess;
    for (const std::string& f : *files) {
      const int rc = guarded("validate", [&] {
        const ScenarioSpec spec = load_scenario_file(f);
        CompiledModel model(spec);  // also checks the state layout
        std::cout << f << ": ok (" << spec.compounds.size() << " compounds, "
                  << spec.formulations.size() << " formulations, " << spec.arms.size() << " arms, "
                  << model.size() << " states; " << results_size_text(spec) << ")\n";
        return kSuccess;
      });
      if (rc != kSuccess) *exit_code = rc;
    }
  });
}

void add_show_command(CLI::App& app, int* exit_code) {
  auto* cmd = app.add_subcommand("show",
                                 "Print the assembled model: compounds, states, "
                                 "equations, parameters with units and sources.\n"
                                 "Example: morsim show configs/demo/depot-blockade.toml");
  struct Args {
    std::string config;
    std::vector<std::string> set;
  };
  auto args = std::make_shared<Args>();
  cmd->add_option("scenario", args->config, "Scenario file (TOML)")->required();
  cmd->add_option("--set", args->set, "Override a parameter, e.g. --set 'naltrexone.ke0=1.5 /h'");
  cmd->callback([args, exit_code] {
    *exit_code = guarded("show", [&] {
      const ScenarioSpec spec = load_scenario_file(args->config, args->set);
      std::cout << describe_model(spec);
      const CompiledModel model(spec);
      std::cout << "\nState vector (" << model.size() << " states):\n";
      for (std::size_t i = 0; i < model.size(); ++i)
        std::cout << "  x[" << i << "] " << model.state_names()[i] << " (" << model.state_units()[i]
                  << ")\n";
      return kSuccess;
    });
  });
}

}  // namespace morsim::cli
