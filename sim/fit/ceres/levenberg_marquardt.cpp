// The Ceres side of fit/least_squares.hpp, compiled into the module libmorsim_ceres.so: one
// cost function over all residuals, whose values and Jacobian come from the caller.
#include <ceres/ceres.h>

#include <cmath>
#include <exception>

#include "fit/least_squares.hpp"

namespace {

using morsim::fit::IterationReport;
using morsim::fit::LeastSquaresProblem;
using morsim::fit::LeastSquaresSummary;

class CallerCost : public ceres::CostFunction {
 public:
  explicit CallerCost(const LeastSquaresProblem& p) : p_(p) {
    set_num_residuals(static_cast<int>(p.n_residuals));
    mutable_parameter_block_sizes()->push_back(static_cast<std::int32_t>(p.n_parameters));
  }
  bool Evaluate(double const* const* parameters, double* residuals,
                double** jacobians) const override {
    return p_.evaluate(parameters[0], residuals, jacobians ? jacobians[0] : nullptr);
  }

 private:
  const LeastSquaresProblem& p_;
};

class Progress : public ceres::IterationCallback {
 public:
  explicit Progress(const LeastSquaresProblem& p) : p_(p) {}
  ceres::CallbackReturnType operator()(const ceres::IterationSummary& s) override {
    if (p_.progress)
      p_.progress(IterationReport{s.iteration, s.cost, s.step_norm, s.cumulative_time_in_seconds,
                                  s.step_is_successful});
    return ceres::SOLVER_CONTINUE;
  }

 private:
  const LeastSquaresProblem& p_;
};

}  // namespace

extern "C" __attribute__((visibility("default"))) void morsim_solve_least_squares(
    const LeastSquaresProblem* p, double* x, LeastSquaresSummary* out) {
  CallerCost cost(*p);
  ceres::Problem::Options po;
  po.cost_function_ownership = ceres::DO_NOT_TAKE_OWNERSHIP;
  ceres::Problem problem(po);
  problem.AddResidualBlock(&cost, nullptr, x);
  for (std::size_t i = 0; i < p->n_parameters; ++i) {
    if (std::isfinite(p->lower[i]))
      problem.SetParameterLowerBound(x, static_cast<int>(i), p->lower[i]);
    if (std::isfinite(p->upper[i]))
      problem.SetParameterUpperBound(x, static_cast<int>(i), p->upper[i]);
  }
  ceres::Solver::Options so;
  so.minimizer_type = ceres::TRUST_REGION;
  so.trust_region_strategy_type = ceres::LEVENBERG_MARQUARDT;
  so.linear_solver_type = ceres::DENSE_QR;
  so.max_num_iterations = p->max_iterations;
  so.parameter_tolerance = p->parameter_tolerance;
  so.function_tolerance = p->function_tolerance;
  so.num_threads = 1;  // the caller's evaluations run their simulations on its own threads
  so.logging_type = ceres::SILENT;
  so.minimizer_progress_to_stdout = false;
  Progress progress(*p);
  so.callbacks.push_back(&progress);
  ceres::Solver::Summary summary;
  ceres::Solve(so, &problem, &summary);
  out->termination = ceres::TerminationTypeToString(summary.termination_type);
  out->message = summary.message;
  out->converged = summary.termination_type == ceres::CONVERGENCE;
  out->failed = summary.termination_type == ceres::FAILURE;
  out->iterations = summary.num_successful_steps + summary.num_unsuccessful_steps;
}
