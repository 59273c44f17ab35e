// `morsim run SCENARIO.toml -o OUT.h5 [--dataset DATA.csv]`: simulate every arm of a scenario
// file, or each ID of a NONMEM-style dataset against the scenario's model.
#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/commands.hpp"
#include "cli/scenario_runner.hpp"
#include "config/load_scenario.hpp"
#include "model/errors.hpp"
#include "nonmem/dataset_arms.hpp"

namespace morsim::cli {
namespace {

// The scenario's arms replaced by the dataset's IDs, every record checked before any work.
void use_dataset(ScenarioSpec& spec, const std::string& scenario, const std::string& dataset,
                 bool quiet) {
  const auto mapping = nonmem::read_dataset_mapping(scenario);
  if (!mapping)
    throw ConfigError(scenario, 0, "dataset",
                      "missing (required with --dataset: a [dataset] table mapping CMT numbers "
                      "to formulations, e.g. cmt.1 = \"naltrexone-oral-50mg\"; docs/config.md)");
  const nonmem::EventTable table = nonmem::read_event_table(dataset);
  std::vector<std::string> notes;
  nonmem::apply_dataset(spec, *mapping, table, notes);
  validate(spec);
  if (!quiet)
    for (const std::string& n : notes) std::cerr << "morsim run: " << n << "\n";
}

std::string file_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

void add_run_command(CLI::App& app, int* exit_code) {
  auto* cmd = app.add_subcommand("run",
                                 "Simulate every arm of a scenario file and write HDF5.\n"
                                 "Example: morsim run configs/demo/depot-blockade.toml "
                                 "-o depot.h5 --plot depot.png");
  struct Args {
    std::string config, output, plot, dataset;
    std::vector<std::string> set;
    bool force = false, quiet = false, allow_large = false;
  };
  auto args = std::make_shared<Args>();
  cmd->add_option("scenario", args->config, "Scenario file (TOML)")->required();
  cmd->add_option("-o,--output", args->output, "Results file (HDF5)")->required();
  cmd->add_option("--plot", args->plot, "Also draw the figure (.png, .svg or .pdf)");
  cmd->add_option("--dataset", args->dataset,
                  "Dose each ID of a NONMEM-style CSV (ID, TIME, EVID, AMT, CMT, ...) as an arm, "
                  "through the scenario's [dataset] table");
  cmd->add_option("--set", args->set,
                  "Override a parameter, e.g. --set 'naltrexone.ke0=1.5 /h' (repeatable)");
  cmd->add_flag("-f,--force", args->force, "Replace existing output files");
  cmd->add_flag("-q,--quiet", args->quiet, "Print nothing but errors");
  cmd->add_flag("--allow-large", args->allow_large,
                "Run even if the results would exceed 2 GB (refused otherwise)");
  cmd->callback([args, exit_code] {
    *exit_code = guarded("run", [&]() -> int {
      ScenarioSpec spec = load_scenario_file(
          args->config, args->set, args->dataset.empty() ? ArmsRequired::kYes : ArmsRequired::kNo);
      if (!args->dataset.empty()) use_dataset(spec, args->config, args->dataset, args->quiet);
      RunRequest req;
      req.output_h5 = args->output;
      req.figure = args->plot;
      req.config_path = args->config;
      req.force = args->force;
      req.quiet = args->quiet;
      req.command_line = "morsim run " + args->config;
      if (!args->dataset.empty()) {
        req.command_line += " --dataset " + args->dataset;
        req.attributes = {{"dataset", args->dataset}, {"dataset_csv", file_text(args->dataset)}};
      }
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
