// The morsim command line program: parses arguments and dispatches to the subcommands.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <iostream>
#include <string>
#include <vector>

#include "cli/commands.hpp"
#include "config/toml_reader.hpp"
#include "io/build_info.hpp"
#include "io/h5_handle.hpp"
#include "io/partial_file.hpp"
#if MORSIM_WITH_MPI
#include "cli/mpi_init.hpp"
#endif

int main(int argc, char** argv) {
  morsim::h5_library_begin();
#if MORSIM_WITH_MPI
  const morsim::cli::MpiSession mpi(&argc, &argv);  // MPI_Init / MPI_Finalize under mpirun
  if (!mpi.allows(argc, argv)) return morsim::cli::kBadInput;
#endif
  using namespace morsim::cli;
  CLI::App app{
      "morsim: mu-opioid receptor occupancy of heroin and its metabolites against naltrexone.\n"
      "Example: morsim demo            (the monthly depot against weekly heroin; writes demo.h5, "
      "demo.png)",
      "morsim"};
  app.set_version_flag("--version",
                       std::string("morsim ") + MORSIM_VERSION + " (" + morsim_git_sha() + ")");
  app.require_subcommand(1);
  int exit_code = kSuccess;
  add_run_command(app, &exit_code);
  add_demo_command(app, &exit_code);
  add_plot_command(app, &exit_code);
  add_validate_command(app, &exit_code);
  add_show_command(app, &exit_code);
  add_sweep_command(app, &exit_code);
  add_population_command(app, &exit_code);
  add_fit_command(app, &exit_code);
  add_export_command(app, &exit_code);
  morsim::install_partial_file_cleanup();
  // A mistyped command gets a suggestion, not the whole usage.
  if (argc > 1 && argv[1][0] != '-') {
    std::vector<std::string> names;
    for (const CLI::App* sub : app.get_subcommands({})) names.push_back(sub->get_name());
    if (std::find(names.begin(), names.end(), argv[1]) == names.end()) {
      std::cerr << "morsim: unknown command '" << argv[1] << "'"
                << morsim::config::did_you_mean(argv[1], names)
                << " (commands: " << morsim::config::join(names) << ")\n";
      return kBadInput;
    }
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);  // prints the message and usage
    return kBadInput;
  }
  if (exit_code == kSuccess || exit_code == kBadInput) morsim::h5_library_end();
  return exit_code;
}
