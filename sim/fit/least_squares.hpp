// Bounded nonlinear least squares, min 0.5 |r(x)|^2 for lower <= x <= upper, as the fit asks
// it of a solver. The solver is Ceres (Levenberg-Marquardt), built as a module of its own
// (fit/ceres/) and loaded by `solve_least_squares` on the first fit: Ceres and the ~20
// libraries it brings (BLAS, LAPACK, SuiteSparse, glog) cost every other command 3 ms of
// process start (benchmarks/README.md, whole process).
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

namespace morsim::fit {

struct IterationReport {
  int iteration = 0;
  double objective = 0, step_norm = 0, seconds = 0;
  bool successful = false;
};

struct LeastSquaresProblem {
  std::size_t n_parameters = 0, n_residuals = 0;
  std::vector<double> lower, upper;  // per parameter; +-inf where unbounded
  // The residuals at x, and the Jacobian (n_residuals x n_parameters, row-major) when
  // `jacobian` is not null. False when the model cannot be evaluated at x.
  std::function<bool(const double* x, double* residuals, double* jacobian)> evaluate;
  std::function<void(const IterationReport&)> progress;  // each iteration, if set
  int max_iterations = 100;
  double parameter_tolerance = 1e-8, function_tolerance = 1e-6;
};

struct LeastSquaresSummary {
  std::string termination, message;  // the solver's termination type and message
  bool converged = false, failed = false;
  int iterations = 0;
};

// Minimises from x (updated in place to the solution). Throws std::runtime_error when the
// solver module cannot be loaded.
LeastSquaresSummary solve_least_squares(const LeastSquaresProblem& problem, std::vector<double>& x);

// The module's one entry point (C linkage, so dlsym finds it by this name); both sides are
// built by the same compiler from the same headers.
extern "C" using SolveLeastSquaresFn =
    void(const LeastSquaresProblem* problem, double* x, LeastSquaresSummary* summary);
inline constexpr const char* kLeastSquaresEntry = "morsim_solve_least_squares";
inline constexpr const char* kLeastSquaresModule = "libmorsim_ceres.so";

}  // namespace morsim::fit
