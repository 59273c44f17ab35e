// One plotting path for every file type: the population figure goes through plot_results.
#include "population/population_plot.hpp"

#include "io/plot.hpp"
#include "population/population_file.hpp"

namespace morsim {

void plot_population(const std::string& h5_path, const std::string& figure_path, bool force,
                     const std::string& python) {
  PlotOptions opts;
  opts.force = force;
  opts.python = python;
  opts.population_format_version = kPopulationFormatVersion;
  plot_results(h5_path, figure_path, opts);
}

}  // namespace morsim
