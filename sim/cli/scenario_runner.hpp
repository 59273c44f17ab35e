// Shared by `run` and `demo`: simulate every arm, write the HDF5 file, print the tables.
#pragma once

#include <string>
#include <vector>

#include "model/scenario.hpp"
#include "model/trajectory.hpp"

namespace morsim::cli {

struct RunRequest {
  std::string output_h5;
  std::string figure;       // "" = no figure
  std::string config_path;  // as recorded in the file
  bool force = false;
  bool quiet = false;
  std::string command_line;                                     // recorded as a root attribute
  std::vector<std::pair<std::string, std::string>> attributes;  // more root attributes
};

// Simulates, runs the scenario's [lesson] if it has one, writes the results file once (with
// the lesson's arms and groups), draws the figure and prints the tables and the paragraph.
// Returns every arm written.
std::vector<Trajectory> run_and_write(const ScenarioSpec& spec, const RunRequest& req);

// Refuses (OutputError, exit 2 by the caller) before any work if an output exists.
void check_outputs_free(const RunRequest& req);

// Refuses (OutputError) a run whose results would exceed kLargeOutputBytes in memory and on
// disk, with the numbers, unless allow_large.
inline constexpr double kLargeOutputBytes = 2e9;
struct OutputSize {
  double samples = 0, series = 0, bytes = 0;
};
OutputSize predicted_output_size(const ScenarioSpec& spec);
void check_output_size(const ScenarioSpec& spec, bool allow_large);

}  // namespace morsim::cli
