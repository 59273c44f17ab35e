// The subcommands of the morsim program; each returns the process exit code.
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

namespace morsim::cli {

enum ExitCode { kSuccess = 0, kRunFailure = 1, kBadInput = 2 };

// Each registers its subcommand on `app`; the callback runs the command and stores its exit
// code in `*exit_code`.
void add_run_command(CLI::App& app, int* exit_code);
void add_demo_command(CLI::App& app, int* exit_code);
void add_plot_command(CLI::App& app, int* exit_code);
void add_validate_command(CLI::App& app, int* exit_code);
void add_show_command(CLI::App& app, int* exit_code);
void add_sweep_command(CLI::App& app, int* exit_code);
void add_population_command(CLI::App& app, int* exit_code);
void add_fit_command(CLI::App& app, int* exit_code);
void add_export_command(CLI::App& app, int* exit_code);

// Runs `body`, mapping morsim's exceptions to exit codes and messages on stderr.
int guarded(const char* command, const std::function<int()>& body);

}  // namespace morsim::cli
