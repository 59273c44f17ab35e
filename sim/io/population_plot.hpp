// The figure of a population results file, drawn by the embedded
// sim/plot/morsim_population_plot.py.
#pragma once

#include <string>

namespace morsim {

// Renders `h5_path` into `figure_path` (.png, .svg or .pdf) atomically. Throws OutputError
// when the figure exists and !force, or the script fails (with its stderr).
void plot_population(const std::string& h5_path, const std::string& figure_path, bool force,
                     const std::string& python = "/usr/bin/python3");

}  // namespace morsim
