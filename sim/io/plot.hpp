// Drawing the figure of a morsim file (results, sweep or population) with the embedded
// matplotlib scripts.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace morsim {

struct PlotOptions {
  bool force = false;             // replace an existing figure file
  std::vector<std::string> arms;  // arms to show, in this order; empty = all
  std::string title;              // figure title; empty = the scenario name
  std::string size;               // "WIDTHxHEIGHT" in pixels; empty = 1920x1080
  std::string metric;             // sweep files: the metric drawn; empty = the first
  std::string plasma_unit;        // "nM" (empty) or "ng/mL", which needs molar_masses
  std::vector<std::pair<std::string, double>> molar_masses;  // compound, g/mol
  std::string python;  // an interpreter with matplotlib, h5py and numpy; empty = find one
  // The population file format this program writes (io/ knows no feature, so the caller
  // says); 0 = the script's own default.
  int population_format_version = 0;
};

// The interpreters tried, in order: $MORSIM_PYTHON alone when it is set (a name without a
// slash is looked up on PATH), else `python3` on PATH, then /usr/bin/python3.
std::vector<std::string> python_candidates();

// Renders `h5_path` into `figure_path`, whose extension (.png, .svg or .pdf) selects the
// format; the script draws the file by its type. The figure is rendered beside the target
// under a temporary name and renamed, so a failed or interrupted run leaves no file. Throws
// InputFileError (one line) for a file the script cannot draw, OutputError if the figure
// exists and !force, the extension is unknown, no interpreter has the modules, or the script
// fails (the message carries its stderr).
void plot_results(const std::string& h5_path, const std::string& figure_path,
                  const PlotOptions& opts);

}  // namespace morsim
