// `morsim validate FILE` checks a scenario without running it; `morsim show FILE` prints the
// assembled model as a student would read it.
#include <toml++/toml.h>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/commands.hpp"
#include "cli/scenario_runner.hpp"
#include "config/load_scenario.hpp"
#include "config/settable_params.hpp"
#include "fit/fit_spec.hpp"
#include "lessons/describe_lesson.hpp"
#include "population/population_spec.hpp"
#include "solver/compiled_model.hpp"
#include "sweep/sweep_spec.hpp"

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

// Which reader a config file is for, by its top-level table: every kind of config that morsim
// reads can be validated and shown. A file that does not parse goes to the scenario reader,
// which reports the syntax error with its line.
enum class ConfigKind { kScenario, kSweep, kPopulation, kFit };

ConfigKind kind_of(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  if (population::is_population_config(text.str())) return ConfigKind::kPopulation;
  try {
    const toml::table root = toml::parse(text.str(), path);
    if (root.contains("sweep")) return ConfigKind::kSweep;
    if (root.contains("fit")) return ConfigKind::kFit;
  } catch (const toml::parse_error&) {
  }
  return ConfigKind::kScenario;
}

std::string scenario_summary(const ScenarioSpec& spec) {
  const CompiledModel model(spec);  // also checks the state layout
  std::ostringstream os;
  os << spec.compounds.size() << " compounds, " << spec.formulations.size() << " formulations, "
     << spec.arms.size() << " arms, " << model.size() << " states";
  return os.str();
}

// The scenario behind any config, for `show`.
ScenarioSpec model_of(const std::string& path, const std::vector<std::string>& set) {
  switch (kind_of(path)) {
    case ConfigKind::kSweep:
      return sweep::load_sweep_file(path).base;
    case ConfigKind::kPopulation:
      return population::load_population_file(path).scenario;
    default:
      return load_scenario_file(path, set);
  }
}

std::string validate_one(const std::string& f) {
  std::ostringstream os;
  os << f << ": ok (";
  switch (kind_of(f)) {
    case ConfigKind::kSweep: {
      const sweep::SweepSpec sw = sweep::load_sweep_file(f);
      os << "sweep: " << sw.design->size() << " scenarios, " << sw.parameters.size()
         << " parameters, " << sw.metrics.size() << " metrics; base " << scenario_summary(sw.base);
      break;
    }
    case ConfigKind::kPopulation: {
      const population::PopulationSpec ps = population::load_population_file(f);
      os << "population: " << ps.subjects << " subjects, " << ps.arms.size() << " arms, "
         << ps.variability.size() << " varied parameters; " << scenario_summary(ps.scenario);
      break;
    }
    case ConfigKind::kFit: {
      const fit::FitSpec fs = fit::load_fit_file(f);
      os << "fit: " << fs.parameters.size() << " parameters, " << fs.datasets.size() << " datasets";
      break;
    }
    case ConfigKind::kScenario: {
      const ScenarioSpec spec = load_scenario_file(f);
      os << scenario_summary(spec) << "; " << results_size_text(spec);
      break;
    }
  }
  os << ")";
  return os.str();
}

}  // namespace

void add_validate_command(CLI::App& app, int* exit_code) {
  auto* cmd = app.add_subcommand("validate",
                                 "Check a scenario, sweep, population or fit file without "
                                 "running it.\n"
                                 "Example: morsim validate configs/demo/surmount.toml");
  auto files = std::make_shared<std::vector<std::string>>();
  cmd->add_option("config", *files, "Config file(s) (TOML)")->required();
  cmd->callback([files, exit_code] {
    *exit_code = kSuccess;
    for (const std::string& f : *files) {
      const int rc = guarded("validate", [&] {
        std::cout << validate_one(f) << "\n";
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
    bool params = false;
  };
  auto args = std::make_shared<Args>();
  cmd->add_option("scenario", args->config, "Scenario file (TOML)")->required();
  cmd->add_option("--set", args->set, "Override a parameter, e.g. --set 'naltrexone.ke0=1.5 /h'");
  cmd->add_flag("--params", args->params,
                "List every path --set accepts, with its unit and current value");
  cmd->callback([args, exit_code] {
    *exit_code = guarded("show", [&] {
      const ScenarioSpec spec = model_of(args->config, args->set);
      if (args->params) {
        std::cout << describe_settable_parameters(spec);
        return kSuccess;
      }
      std::cout << describe_model(spec);
      // Not part of describe_model(): that text is hashed into checkpoints, and a file's
      // path changes with the folder morsim runs in.
      std::cout << "\nModel files\n";
      for (const ModelOrigin& o : spec.model_origins)
        std::cout << "  " << o.name << ": " << o.file << "\n";
      const CompiledModel model(spec);
      std::cout << "\nState vector (" << model.size() << " states):\n";
      for (std::size_t i = 0; i < model.size(); ++i)
        std::cout << "  x[" << i << "] " << model.state_names()[i] << " (" << model.state_units()[i]
                  << ")\n";
      std::cout << describe_lesson(spec);
      return kSuccess;
    });
  });
}

}  // namespace morsim::cli
