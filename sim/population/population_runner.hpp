// Runs every subject of every arm on a pool of threads and reduces the result to per-subject
// summaries and percentile bands. Each subject is a pure function of (seed, arm, subject), so
// the result does not depend on the number of threads.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "population/population_spec.hpp"
#include "population/virtual_subject.hpp"

namespace morsim::population {

struct PopulationOptions {
  unsigned threads = 0;  // 0 = every core
  // The temporary occupancy file goes beside this output (same filesystem, found and removed
  // by the next run if a kill leaves it); "" = in scratch_dir.
  std::string output_path;
  std::string scratch_dir;  // when there is no output_path; "" = TMPDIR or /tmp
  std::size_t block = 0;    // subjects per work unit; 0 = automatic
  // "" = a temporary scratch file. Otherwise the checkpoint that holds every finished work
  // unit (occupancies, outcomes, draws) from before the first unit is computed, so that a
  // killed run can be continued; it is kept, and the caller removes it once the result file
  // is committed.
  std::string checkpoint_path;
  bool resume = false;  // continue the checkpoint (of the same run: throws OutputError if not)
  std::function<void(std::uint64_t done, std::uint64_t total)> progress;  // from workers, locked
};

// Per-arm summary of the subjects' outcomes.
struct ArmOutcomes {
  double mean_protected_day_fraction = 0.0;
  double median_protected_day_fraction = 0.0;
  double mean_doses_taken_fraction = 0.0;
  double mean_heroin_uses = 0.0;
  double mean_rewarding_uses = 0.0;
  double fraction_with_rewarding_use = 0.0;
  // Median over subjects of the time of the first rewarding use, subjects without one counted
  // as never (all are followed to the end): NaN when fewer than half have one.
  double median_time_to_first_rewarding_use_h = 0.0;
};

struct ArmPopulation {
  std::string name;
  std::vector<SubjectOutcome> subjects;  // N
  std::vector<double> antagonist_bands;  // Q x T (percentile, time)
  std::vector<double> agonist_bands;     // Q x T
  ArmOutcomes outcomes;
};

struct PopulationResult {
  std::vector<double> band_t_h;                                  // T
  std::vector<double> percentiles{5.0, 25.0, 50.0, 75.0, 95.0};  // Q, percent
  std::vector<double> weight_kg;   // N (shared by the arms: the same subject in each)
  std::vector<double> parameters;  // N x P, internal units
  std::vector<ArmPopulation> arms;
  double seconds = 0.0;
  unsigned threads = 1;
};

PopulationResult run_population(const PopulationSpec& ps, const PopulationOptions& options);

ArmOutcomes summarise_outcomes(const std::vector<SubjectOutcome>& subjects);

}  // namespace morsim::population
