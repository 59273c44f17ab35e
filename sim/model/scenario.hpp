// A complete, checked description of what to simulate: compounds, formulations, arms, grid.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "model/compound.hpp"
#include "model/dosing.hpp"
#include "model/formulation.hpp"
#include "model/lesson_spec.hpp"

namespace morsim {

enum class BindingMode { kKinetic, kEquilibrium };

struct Receptor {
  std::string name = "MOR";
  BindingMode mode = BindingMode::kKinetic;
  double transducer_slope = 1.0;  // operational model slope n_T
  // false: the receptor model has no operational (Black-Leff) transducer, e.g. the FDA model
  // (Mann 2022), whose outcome is driven by occupancy alone; the effect is then not computed
  // (NaN in trajectories, marked in the results file, absent from tables and figures).
  bool operational_effect = true;
};

// kExactLinear: a model without kinetic binding is linear (dx/dt = A x + u between events) and
// is propagated exactly by matrix exponentials; a model with kinetic binding falls back to
// kRosenbrock4 (solver/exact_linear.cpp, docs/model.md).
enum class SolverMethod { kRosenbrock4, kDopri5, kExactLinear };

struct SolverOptions {
  SolverMethod method = SolverMethod::kRosenbrock4;  // stiff by default
  // Defaults meet the accuracy bounds of ref-v1 (occupancy <= 1e-4 absolute, concentration
  // <= 1e-3 relative) with a 3x margin (benchmarks/README.md).
  double rtol = 3e-5;
  // Absolute tolerance in nM for concentrations and for amounts (an amount in nmol is held
  // to atol x its volume in L), and as a fraction for occupancies (rosenbrock4; dopri5 applies
  // it to every state as it is).
  double atol = 1e-9;
  // > 0: the absolute tolerance of every state that can reach the receptor, as a fraction of
  // receptors: an amount or concentration is held to atol_occupancy x the level at which it
  // would occupy half of the free receptors (Kd in the brain, Kd V / Kp in plasma, through
  // metabolites and bioavailability for parents and depots). States that cannot reach the
  // receptor keep `atol`. rosenbrock4 only. 0 = off.
  double atol_occupancy = 0.0;
  double max_step_h = 0.0;  // 0 = unlimited
  double initial_step_h = 1e-3;
  long max_steps = 5'000'000;  // per simulation, across all segments
};

struct OutputGrid {
  double t_start_h = 0.0;
  double t_end_h = 0.0;
  double dt_h = 0.1;
  // > 0: extra samples every refine_step_h for this long after each dose, so that fast
  // peaks (IV heroin peaks within minutes) are resolved on a coarse grid.
  double refine_after_doses_h = 0.0;
  double refine_step_h = 1.0 / 60.0;
  // Sample times t_start, t_start + dt, ..., t_end (t_end included when it lands on the grid).
  std::vector<double> times_h() const;
};

// One arm of a scenario: a dosing schedule run against the shared model.
struct Arm {
  std::string name;
  std::vector<DoseRecord> doses;
  std::vector<double> observation_times_h;  // extra output times (a dataset's EVID 0 records)
};

// Where a parameter value came from, for `morsim show` and the output file.
struct ParameterSource {
  std::string path;    // "naltrexone.ke0"
  std::string value;   // as written, with unit: "2 /h"
  std::string source;  // citation or "estimate: ..."
  bool overridden = false;
};

// Where a compound, formulation or the receptor was read from, for `morsim show`.
struct ModelOrigin {
  std::string name;  // "fentanyl", "fentanyl-iv-bolus", or "receptor"
  std::string file;  // "models/fda2022/compounds/fentanyl.toml", or the config for inline ones
};

struct ScenarioSpec {
  std::string name;
  std::string description;
  std::vector<Compound> compounds;
  std::vector<Formulation> formulations;
  Receptor receptor;
  std::vector<Arm> arms;
  OutputGrid grid;
  SolverOptions solver;
  std::vector<ParameterSource> sources;
  std::string config_text;                 // the TOML as run, stored in the output
  std::optional<LessonSpec> lesson;        // the [lesson] table, when the scenario teaches one
  std::vector<ModelOrigin> model_origins;  // in the order the files were read

  const Compound* find_compound(const std::string& name) const;
  const Formulation* find_formulation(const std::string& name) const;
};

// Throws ModelError naming the first problem (negative volume, fraction > 1, unknown
// metabolite, a metabolite chain that loops, a dose after the end, ...).
void validate(const ScenarioSpec& spec, bool arms_required = true);

}  // namespace morsim
