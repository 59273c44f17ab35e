// A virtual-patient study as read from a population config: the scenario it runs (the usual
// [scenario], [output] and [[arm]] tables) plus [population], [[variability]],
// [correlation], [weight], [[adherence]] and [heroin] (docs/population.md).
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "config/settable_params.hpp"
#include "model/scenario.hpp"

namespace morsim {
class ModelLibrary;  // config/load_scenario.hpp
}  // namespace morsim

namespace morsim::population {

// A marginal distribution of one subject value, drawn from a standard normal z (so that
// correlated parameters share a Gaussian copula). Values are internal units.
struct Distribution {
  enum class Kind { kLogNormal, kNormal, kUniform };
  Kind kind = Kind::kLogNormal;
  // Log-normal median / normal mean; NaN = the scenario's (typical) value.
  double center = std::numeric_limits<double>::quiet_NaN();
  double omega = 0.0;                                    // log-normal: sd of log(value)
  double cv = std::numeric_limits<double>::quiet_NaN();  // normal: sd = cv x mean, if sd NaN
  double sd = std::numeric_limits<double>::quiet_NaN();  // normal: absolute sd
  double low = 0.0, high = 0.0;                          // uniform bounds
  // Truncation: a draw outside [min, max] is redrawn (the whole correlated vector).
  double min = -std::numeric_limits<double>::infinity();
  double max = std::numeric_limits<double>::infinity();

  double value(double z, double typical) const;
  bool degenerate() const;  // zero spread: every subject gets the center
};

struct Variability {
  SettablePath target;
  Distribution dist;
};

// Body weight drawn per subject, scaling clearances by (WT/ref)^cl_exponent and volumes by
// (WT/ref)^v_exponent (intercompartmental clearances and peripheral volumes likewise).
struct WeightCovariate {
  bool enabled = false;
  Distribution dist;  // kg
  double reference_kg = 70.0;
  double clearance_exponent = 0.75;
  double volume_exponent = 1.0;
  std::vector<std::size_t> compounds;  // indices scaled; default every compound
};

// How one arm's doses of one formulation are really taken.
struct AdherenceModel {
  std::size_t arm = 0;
  std::string formulation;
  bool markov = false;
  double p_take = 1.0;            // Bernoulli: each dose taken with this probability
  double p_stay_adherent = 1.0;   // Markov: P(take next | took this)
  double p_stay_lapse = 0.0;      // Markov: P(miss next | missed this); mean lapse 1/(1-p)
  double late_probability = 0.0;  // a taken dose is late with this probability ...
  double late_mean_h = 0.0;       // ... by an exponential delay with this mean ...
  double late_max_h = 0.0;        // ... capped here
  double stop_h = std::numeric_limits<double>::infinity();  // nothing taken from here on
  double dropout_per_week = 0.0;  // hazard of stopping for good (exponential stop time)
};

// Heroin use: the arms' own agonist doses ("fixed"), or a Poisson process of uses with a
// random amount, the same for a subject in every arm ("poisson").
struct HeroinUse {
  bool random = false;
  std::size_t formulation = 0;
  double uses_per_week = 0.0;
  Distribution amount_mg;  // center = median dose
  double start_h = 0.0, end_h = 0.0;
};

struct PopulationSpec {
  std::string path;               // config file (or built-in name)
  std::string text;               // the config as written
  ScenarioSpec scenario;          // the typical patient
  std::vector<std::size_t> arms;  // indices of arms simulated
  std::uint64_t subjects = 100;
  std::uint64_t seed = 1;
  double band_step_h = 2.0;         // grid of the percentile bands and protected days
  double blocked_occupancy = 0.9;   // antagonist occupancy that counts as protected
  double rewarding_effect = 0.2;    // agonist effect (fraction of Emax) felt as a reward
  double peak_window_h = 3.0;       // after each use, sampled finely for its peak ...
  double peak_step_h = 2.0 / 60.0;  // ... at this step
  std::vector<Variability> variability;
  std::vector<std::vector<double>> correlation;  // over `variability`, identity if empty
  WeightCovariate weight;
  std::vector<AdherenceModel> adherence;
  HeroinUse heroin;

  bool has_variability() const { return weight.enabled || !variability.empty(); }
};

// Reads a population config; every mistake throws ConfigError (file:line: key: problem).
// A file's models are found as for `morsim run` (docs/config.md); text has no folder, so its
// models come from `library` (e.g. the built-in EmbeddedLibrary).
PopulationSpec load_population_file(const std::string& path);
PopulationSpec load_population_text(const std::string& text, const std::string& display_name,
                                    const ModelLibrary& library);

// True when the config text has a [population] table (how `morsim demo` tells them apart).
bool is_population_config(const std::string& text);

}  // namespace morsim::population
