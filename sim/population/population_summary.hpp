// The text table `morsim population` prints: per-arm outcomes of the virtual patients.
#pragma once

#include <string>

#include "population/population_runner.hpp"

namespace morsim::population {

std::string format_population_summary(const PopulationSpec& ps, const PopulationResult& r);

}  // namespace morsim::population
