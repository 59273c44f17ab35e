// The figure of a population results file: `morsim plot` draws it by its filetype
// (sim/plot/morsim_population_plot.py); this entry point is kept for `morsim demo population`.
#pragma once

#include <string>

namespace morsim {

// Renders `h5_path` into `figure_path` (.png, .svg or .pdf) atomically, 1920 x 1080 px.
// Throws OutputError when the figure exists and !force, or the script fails (with its
// stderr). `python` empty: the interpreter is found as for plot_results.
void plot_population(const std::string& h5_path, const std::string& figure_path, bool force,
                     const std::string& python = "");

}  // namespace morsim
