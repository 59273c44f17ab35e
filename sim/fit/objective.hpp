// The weighted residuals of every dataset as a function of the fit parameters, and their
// Jacobian by central differences of whole simulations, run in parallel. Parameters are
// handled in transformed coordinates x: ln(value) on the log scale, value / |initial| on the
// linear scale (so one finite-difference step is a relative change either way).
#pragma once

#include <atomic>
#include <cstddef>
#include <string>
#include <vector>

#include "fit/fit_spec.hpp"

namespace morsim::fit {

// The model at one parameter vector.
struct ModelPoint {
  std::vector<std::vector<double>> model;  // [dataset][row], in the dataset's value unit
  std::vector<double> residuals;           // weighted, all rows of all datasets in order
  bool ok = true;
  std::string failure;  // why not ok: a failed simulation, a rejected value, no statistic
};

// A model curve of one dataset and arm, for the output file and the figure.
struct ModelCurve {
  std::size_t dataset = 0;
  std::string arm;
  std::vector<double> t_h, y;
  std::string unit;  // of y
};

class Objective {
 public:
  // `threads` 0 = the hardware's concurrency.
  Objective(const FitSpec& spec, unsigned threads);

  const FitSpec& spec() const { return *spec_; }
  std::size_t n_parameters() const { return spec_->parameters.size(); }
  std::size_t n_residuals() const { return n_residuals_; }
  unsigned threads() const { return threads_; }
  long simulations() const { return simulations_.load(); }

  double to_x(std::size_t i, double value) const;
  // Values within the parameter's bounds (the transform's rounding is clamped away).
  double to_value(std::size_t i, double x) const;
  std::vector<double> to_values(const std::vector<double>& x) const;
  double linear_scale(std::size_t i) const { return linear_scale_[i]; }  // value per unit of x
  std::vector<double> initial_x() const;
  std::vector<double> lower_x() const;  // -inf where unbounded
  std::vector<double> upper_x() const;  // +inf where unbounded

  // The model with the parameters at `values` (their units); nullptr = the shipped values (no
  // parameter overrides, the fit's --set only). `tighten` divides the solver tolerances.
  ModelPoint evaluate_values(const std::vector<double>* values, double tighten = 1.0) const;
  ModelPoint evaluate(const std::vector<double>& x, double tighten = 1.0) const;

  // Residuals at x and their Jacobian d r / d x (N x P, row-major) by central differences with
  // step `step` in x, shrunk near a bound (second-order one-sided differences at a bound); the
  // 2P + 1 evaluations run on threads(). `center` may hold the evaluation at x already (ok and
  // residuals of the right size), which is then reused. False when an evaluation failed
  // (center.failure says why).
  bool jacobian(const std::vector<double>& x, double step, double tighten, ModelPoint& center,
                std::vector<double>& jac) const;

  // Each dataset's model curve for each arm it uses, at `values` (nullptr: shipped values).
  std::vector<ModelCurve> curves(const std::vector<double>* values) const;

 private:
  struct Task {
    std::size_t point = 0, dataset = 0;
  };
  std::vector<std::string> overrides(const Dataset& d, const std::vector<double>* values) const;
  // One dataset at one parameter vector: its model values; throws on failure.
  std::vector<double> dataset_values(std::size_t d, const std::vector<double>* values,
                                     double tighten) const;
  void residuals(ModelPoint& p) const;
  void run_tasks(const std::vector<Task>& tasks, const std::vector<std::vector<double>>& values,
                 double tighten, std::vector<ModelPoint>& points) const;

  const FitSpec* spec_;
  unsigned threads_;
  std::size_t n_residuals_ = 0;
  std::vector<double> linear_scale_;
  std::vector<std::vector<std::vector<double>>> events_;  // [dataset][arm]
  std::vector<std::vector<std::vector<double>>> times_;   // [dataset][arm]
  mutable std::atomic<long> simulations_{0};
};

}  // namespace morsim::fit
