// A fit as read from a fit file (docs/fit.md): the parameters to estimate with their bounds,
// and the datasets (a CSV of observations, the scenario that models them, the quantity and the
// statistic compared). Everything is checked here, before any simulation runs; every mistake
// throws ConfigError "file:line: key: problem (allowed: ...)".
#pragma once

#include <cstddef>
#include <limits>
#include <string>
#include <vector>

#include "fit/cached_library.hpp"
#include "model/scenario.hpp"

namespace morsim::fit {

enum class Scale { kLog, kLinear };
enum class Quantity { kPlasma, kOccupancy, kEffect };
enum class Statistic {
  kValue,           // the quantity at the row's time
  kRelative,        // quantity(time) / quantity(reference_time), same arm
  kPeak,            // maximum over the window
  kTimeOfPeak,      // time of that maximum, from the window's start
  kRiseToHalfPeak,  // first time the quantity reaches half its peak, from the window's start
  kFallToHalfPeak,  // time from the peak until the quantity falls below half of it
  kAuc,             // integral over the window
  kAucRatio,        // AUC of the row's arm / AUC of reference_arm, over the window
  kHalfLife,        // apparent half-life of a log-linear least-squares line over the window
};

const char* to_string(Scale s);
const char* to_string(Quantity q);
const char* to_string(Statistic s);
// value and relative compare the curve at the rows' times; the others summarise a window.
bool needs_row_time(Statistic s);

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

struct FitParameter {
  std::string path;  // an override path, as `morsim run --set` takes it
  std::string unit;  // the unit `initial` was written in ("h"); "" when dimensionless
  double initial = 0.0, lower = -kInf, upper = kInf;  // in `unit`; bounds infinite when absent
  std::string initial_text, lower_text, upper_text;   // as written
  Scale scale = Scale::kLog;
  int line = 0;  // of the [[parameter]] table

  // "naltrexone.ke0_half_life=31.2 h": the override that sets the parameter to `value` (unit).
  std::string override_text(double value) const;
  // `value` (in `unit`) with its unit, to `digits` significant digits: "31.2 h".
  std::string format(double value, int digits = 4) const;
};

// One CSV row.
struct Observation {
  int line = 0;          // in the CSV file
  double time_h = kNaN;  // value and relative only
  std::string group;     // the group cell as written ("" when none)
  std::size_t arm = 0;   // index into the scenario's arms
  double value = 0.0;    // in the dataset's value unit
  double sigma = 0.0;    // in the value unit (before the log transform)
};

struct Dataset {
  std::string name;
  int line = 0;                  // of the [[dataset]] table
  std::string csv_path;          // resolved against the fit file's folder
  ScenarioSource scenario;       // path resolved likewise
  std::vector<std::string> set;  // the fit's --set overrides that name this scenario's models
  ScenarioSpec base;             // loaded with `set` and nothing else
  Quantity quantity = Quantity::kOccupancy;
  std::vector<std::size_t> compounds;  // indices into base.compounds (plasma: exactly one)
  Statistic statistic = Statistic::kValue;
  double reference_time_h = kNaN;                 // relative
  double window_from_h = 0.0, window_to_h = 0.0;  // the window statistics
  std::size_t reference_arm = 0;                  // auc_ratio
  bool log = false;
  double tolerance = kNaN;  // for --check, in the value unit (log units when log); NaN = none
  // A documented miss: --check reports the dataset outside its tolerance without failing, and
  // fails if the model agrees after all (so the note cannot go stale). Empty = none.
  std::string disagreement;
  std::string value_unit;     // the CSV's unit for `value`; "1" when the cell is empty
  double value_scale = 1.0;   // one value unit in the statistic's internal unit
  std::string internal_unit;  // "nM", "1", "h", "nM*h"
  std::vector<Observation> rows;
  std::vector<std::size_t> arms;     // the arms to simulate, ascending
  std::vector<bool> uses_parameter;  // per fit parameter: the scenario has its owner
};

struct FitSpec {
  std::string path;  // the fit file as given
  std::string text;  // its contents, stored in the output
  std::string name, description;
  int max_iterations = 100;
  double parameter_tolerance = 1e-8;
  double function_tolerance = 1e-10;
  double rtol = 1e-8;            // the ODE tolerance during the fit (scenario's if tighter)
  double step = 1e-4;            // finite-difference step in transformed coordinates
  std::vector<std::string> set;  // the command line's --set, applied before parameters
  std::vector<FitParameter> parameters;
  std::vector<Dataset> datasets;

  std::size_t n_observations() const;
};

// Reads and checks a fit file and every CSV and scenario it names. `set` are "path=value"
// overrides applied to every dataset's scenario (to those with the path's compound or
// formulation) before the fit parameters.
FitSpec load_fit_file(const std::string& path, const std::vector<std::string>& set = {});

}  // namespace morsim::fit
