// Text reports of a fit: the estimates table, the residuals per dataset, the TOML snippet to
// paste into models/, and the --check summary.
#pragma once

#include <string>

#include "fit/estimate.hpp"
#include "fit/fit_spec.hpp"

namespace morsim::fit {

// Termination, objective, reduced chi-square, the estimates with SE and bounds, what is not
// identified, and the correlation matrix.
std::string format_estimates(const FitSpec& spec, const FitResult& r);

// Per dataset: each row's time or group, observed, model, sigma and weighted residual.
std::string format_residuals(const FitSpec& spec, const std::vector<DatasetFit>& fits);

// The estimates as {value, source} lines for the model files, grouped by file and table:
//   # models/compounds/naltrexone.toml
//   [brain]
//   ke0_half_life = { value = "31.2 h", source = "fit: <fit> to D1, D2 (SE 3.1 h)" }
std::string format_model_snippet(const FitSpec& spec, const FitResult& r);

// One line per dataset: the largest |model - data| against its tolerance, and the verdict.
std::string format_check(const FitSpec& spec, const CheckResult& c);

// Where a parameter path lives: the model file (relative to the models folder's parent, e.g.
// "models/compounds/naltrexone.toml", or the scenario for inline definitions) and the table
// header inside it ("[brain]", "" for top level, or a comment for array entries); the key.
struct ModelLocation {
  std::string file, table, key;
};
ModelLocation model_location(const FitSpec& spec, const std::string& path);

}  // namespace morsim::fit
