// Weighted least squares (Levenberg-Marquardt, bounds in transformed coordinates),
// the covariance of the estimates with identifiability from the SVD of the Jacobian, and the
// shipped-values check of `morsim fit --check`.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "fit/fit_spec.hpp"
#include "fit/least_squares.hpp"
#include "fit/objective.hpp"

namespace morsim::fit {

struct ParameterEstimate {
  std::string path, unit;
  double initial = 0, estimate = 0, lower = 0, upper = 0;  // in `unit`
  double standard_error = kNaN;                            // in `unit`; NaN when not identified
  bool identified = true;
  bool at_bound = false;  // the estimate sits on lower or upper
};

// The model against one dataset's rows.
struct DatasetFit {
  std::vector<double> model;     // per row, in the value unit
  std::vector<double> weighted;  // per row: (model - observed) / sigma (log scale when log)
  double max_deviation = 0.0;    // max |model - observed| (log units when log)
  std::size_t worst_row = 0;
  bool within_tolerance = true;  // max_deviation <= tolerance (true when there is none)
};

// Per dataset, from the model values of one evaluation.
std::vector<DatasetFit> compare(const FitSpec& spec, const ModelPoint& point);

struct EstimateOptions {
  unsigned threads = 0;                                  // 0 = every core
  std::function<void(const IterationReport&)> progress;  // each iteration, if set
  double covariance_step = 1e-3;    // finite-difference step of the covariance Jacobian ...
  double covariance_tighten = 100;  // ... with the solver tolerances divided by this
  bool curves = true;               // simulate the model curves for the output file
};

struct FitResult {
  std::vector<ParameterEstimate> parameters;
  std::vector<double> correlation;  // P x P, row-major; NaN rows/columns for not identified
  std::vector<std::string> not_identified;
  std::vector<double> singular_values;  // of the weighted-residual Jacobian in x
  std::vector<DatasetFit> datasets;
  std::vector<ModelCurve> curves;
  double objective_start = 0, objective = 0;  // 0.5 * sum of squared weighted residuals
  double reduced_chi_square = kNaN;           // 2 * objective / (N - P)
  std::size_t n_residuals = 0;
  int iterations = 0;
  double seconds = 0;
  std::string termination, message;  // Ceres's termination type and message
  bool converged = false;
  long simulations = 0;  // arm simulations, the final curves included
  unsigned threads = 1;
};

// Fits the parameters of `spec`. Throws SolverError (exit 1) when the model cannot be
// evaluated at the initial values.
FitResult estimate(const FitSpec& spec, const EstimateOptions& opt);

// Covariance of the estimates from the weighted Jacobian `jac` (N x P, row-major) in
// transformed coordinates: (J^T J)^-1 over the identified parameters. A singular value s with
// s = 0 or (s / s_max)^2 < 1e-12 spans a null space; the parameters with a component above
// 0.01 in it are not identified. Returns the covariance (P x P, NaN where not identified).
struct Covariance {
  std::vector<double> cov;       // P x P in x
  std::vector<bool> identified;  // per parameter
  std::vector<double> singular_values;
};
Covariance covariance_from_jacobian(const std::vector<double>& jac, std::size_t n, std::size_t p);

// `morsim fit --check`: every dataset at the shipped values (no parameter overrides).
struct CheckResult {
  std::vector<DatasetFit> datasets;
  bool passed = true;
  double seconds = 0;
};
CheckResult check(const FitSpec& spec, unsigned threads);

}  // namespace morsim::fit
