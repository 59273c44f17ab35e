// The HDF5 file of `morsim population`: percentile bands of occupancy per arm, per-subject
// parameters and outcomes, and per-arm outcome summaries. Layout: docs/population.md.
#pragma once

#include <string>

#include "population/population_runner.hpp"

namespace morsim {

constexpr const char* kPopulationFileType = "morsim-population";
// 2: the per-subject dose log (arms/<arm>/doses, arms/<arm>/subjects/dose_count).
constexpr int kPopulationFormatVersion = 2;

struct PopulationWriteOptions {
  bool force = false;
  std::string command;  // the command line, stored as an attribute
};

// Written atomically (beside the target, then renamed). Throws OutputError.
void write_population(const std::string& path, const population::PopulationSpec& ps,
                      const population::PopulationResult& result,
                      const PopulationWriteOptions& opts);

}  // namespace morsim
