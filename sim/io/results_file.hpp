// The HDF5 results file: one group per arm with concentrations, occupancy, effect and doses.
// Layout and reading examples: docs/output.md.
#pragma once

#include <hdf5.h>

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "model/scenario.hpp"
#include "model/trajectory.hpp"

namespace morsim {

// 2: lesson groups (/lesson, /surmount, /schild) written with the arms (docs/output.md).
constexpr int kResultsFormatVersion = 2;
constexpr const char* kResultsFileType = "morsim-results";

struct WriteOptions {
  bool force = false;       // replace an existing file at the target path
  std::string config_path;  // where the config was read from ("" for built-in demos)
  // Additional root attributes (string values), e.g. {"command", "morsim run ..."}. A key
  // that collides with a standard attribute is an OutputError.
  std::vector<std::pair<std::string, std::string>> extra_attributes;
  // Additional groups (a lesson's), written into the root after the arms, before the rename.
  std::vector<std::function<void(hid_t file)>> extra_groups;
};

// Writes all arms to `path` atomically: into `<path>.<pid>.partial` beside it, then renamed.
// Throws OutputError (naming the file) if the target exists and !opts.force, if an arm is
// malformed (table sizes not T x K, duplicate or unusable names), or on any I/O failure; the
// partial file is removed and an existing target left as it was.
void write_results(const std::string& path, const ScenarioSpec& spec,
                   const std::vector<Trajectory>& arms, const WriteOptions& opts);

// Arm names in the order they were written. Throws OutputError if `path` cannot be opened
// or is not a morsim results file.
std::vector<std::string> list_arms(const std::string& path);

// Reads one arm back: arm, compounds, is_agonist, binds_receptor, the time grid, plasma,
// brain, occupancy, free_receptor, effect, the dose log and the solver stats.
Trajectory read_arm(const std::string& path, const std::string& arm);

// The scenario text stored in the file (root attribute `config`) and where it was read from.
struct StoredConfig {
  std::string text;
  std::string path;  // "" when not recorded
};
StoredConfig read_stored_config(const std::string& path);

}  // namespace morsim
