// One virtual patient: parameters drawn from the population distributions, the doses really
// taken under an adherence model, the heroin use pattern, and the simulation of one arm
// reduced to what the population output keeps.
#pragma once

#include <Eigen/Dense>
#include <cstdint>
#include <vector>

#include "population/population_spec.hpp"

namespace morsim::population {

struct SubjectParameters {
  double weight_kg = 0.0;      // NaN without a weight covariate
  std::vector<double> values;  // one per [[variability]], internal units
};

// Draws parameters; the Cholesky factor of the correlation matrix is computed once.
class ParameterSampler {
 public:
  explicit ParameterSampler(const PopulationSpec& ps);  // throws ConfigError if not pos. def.
  // The subject's scenario (a copy of the typical one with weight scaling and draws applied).
  ScenarioSpec individual(std::uint64_t subject, SubjectParameters& drawn) const;

 private:
  const PopulationSpec* ps_;
  Eigen::MatrixXd chol_;  // lower triangular, L L^T = correlation
};

// The arm as this subject follows it: adherence applied to the antagonist doses (missed and
// late doses written into the records), and, for a random heroin pattern, the arm's own
// agonist doses replaced by the subject's uses.
Arm individual_arm(const PopulationSpec& ps, std::size_t arm, std::uint64_t subject);

// Outcomes of one subject in one arm.
struct SubjectOutcome {
  double protected_day_fraction = 0.0;  // days whose minimum antagonist occupancy >= level
  double doses_taken_fraction = 1.0;    // antagonist doses taken / planned
  std::int32_t heroin_uses = 0;
  std::int32_t rewarding_uses = 0;     // peak agonist effect >= the rewarding level
  double first_unblocked_use_h = 0.0;  // time of the first rewarding use; NaN = none
};

// Drops the formulations the arm never doses: their absorption states would be integrated
// (at zero) in every step. Call after the parameters are applied (targets index formulations).
void prune_formulations(ScenarioSpec& spec, const Arm& arm);

// One subject as simulated in one arm: their scenario (draws applied, formulations the arm
// never doses pruned) and the arm as they follow it. The runner simulates this; the population
// file's dose log is expand_schedule() of the same, so the log is what was simulated.
struct SubjectInArm {
  ScenarioSpec spec;
  Arm arm;
};
SubjectInArm subject_in_arm(const PopulationSpec& ps, const ParameterSampler& sampler,
                            std::size_t arm, std::uint64_t subject, SubjectParameters& drawn);

// The band grid: t_start, t_start + step, ... <= t_end.
std::vector<double> band_times(const PopulationSpec& ps);

// Simulates one subject in one arm; writes antagonist and agonist occupancy on the band grid
// (band_times().size() values each, as float: the bands are computed from these) and returns
// the outcomes.
SubjectOutcome simulate_subject(const PopulationSpec& ps, const ScenarioSpec& individual,
                                const Arm& arm, const std::vector<double>& band_t_h,
                                float* antagonist_row, float* agonist_row);

}  // namespace morsim::population
