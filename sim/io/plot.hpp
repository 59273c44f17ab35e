// Drawing the figure of a results file with the embedded matplotlib script.
#pragma once

#include <string>
#include <vector>

namespace morsim {

struct PlotOptions {
  bool force = false;                       // replace an existing figure file
  std::vector<std::string> arms;            // arms to show, in this order; empty = all
  std::string title;                        // figure title; empty = the scenario name
  std::string python = "/usr/bin/python3";  // an interpreter with matplotlib, h5py and numpy
};

// Renders `h5_path` into `figure_path`, whose extension (.png, .svg or .pdf) selects the
// format. The figure is rendered beside the target under a temporary name and renamed, so a
// failed or interrupted run leaves no file. Throws OutputError if the figure exists and
// !force, the extension is unknown, or the script fails (the message carries its stderr).
void plot_results(const std::string& h5_path, const std::string& figure_path,
                  const PlotOptions& opts);

}  // namespace morsim
