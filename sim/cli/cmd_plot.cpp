// `morsim plot OUT.h5 -o FIG.png`: the figure of a results file, without running the model.
#include <iostream>

#include "cli/commands.hpp"
#include "io/partial_file.hpp"
#include "io/plot.hpp"

namespace morsim::cli {

void add_plot_command(CLI::App& app, int* exit_code) {
  auto* cmd = app.add_subcommand("plot",
                                 "Draw occupancy, effect and plasma concentrations of a "
                                 "results file.\nExample: morsim plot demo.h5 -o demo.svg");
  struct Args {
    std::string input, output, title;
    std::vector<std::string> arms;
    bool force = false;
  };
  auto args = std::make_shared<Args>();
  cmd->add_option("results", args->input, "Results file (HDF5) written by morsim")
      ->required()
      ->check(CLI::ExistingFile);
  cmd->add_option("-o,--output", args->output, "Figure file: .png, .svg or .pdf")->required();
  cmd->add_option("--arms", args->arms, "Arms to show, in order (default: all)")->delimiter(',');
  cmd->add_option("--title", args->title, "Figure title (default: the scenario name)");
  cmd->add_flag("-f,--force", args->force, "Replace an existing figure");
  cmd->callback([args, exit_code] {
    *exit_code = guarded("plot", [&] {
      try {  // a refusal is a usage error, before Python starts
        check_output(args->output, args->force, OutputKind::kFigure);
      } catch (const std::exception& e) {
        std::cerr << "morsim plot: " << e.what() << "\n";
        return kBadInput;
      }
      PlotOptions p;
      p.force = args->force;
      p.arms = args->arms;
      p.title = args->title;
      plot_results(args->input, args->output, p);
      return kSuccess;
    });
  });
}

}  // namespace morsim::cli
