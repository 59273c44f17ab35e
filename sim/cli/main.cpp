// The morsim command line program: parses arguments and dispatches to the subcommands.
#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/commands.hpp"
#include "io/partial_file.hpp"
#if MORSIM_WITH_MPI
#include "cli/mpi_init.hpp"
#endif

int main(int argc, char** argv) {
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
                       std::string("morsim ") + MORSIM_VERSION + " (" + MORSIM_GIT_SHA + ")");
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
  morsim::install_partial_file_cleanup();
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
  return exit_code;
}
