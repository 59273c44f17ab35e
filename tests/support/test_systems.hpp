// Small ODE systems with closed forms, in the form Rodas4Stepper takes (rhs, Jacobian pattern
// and values), and a driver that runs it with fixed steps.
#pragma once

#include <Eigen/Dense>
#include <cmath>
#include <stdexcept>
#include <utility>
#include <vector>

#include "solver/dense_driver.hpp"
#include "solver/rodas4_stepper.hpp"

namespace morsim::testing {

// y' = A y with A = V diag(-1, -1000) V^-1, V = [[1, 1], [1, -1]]: stiffness ratio 1000 and a
// full 2x2 block (so the LU pivots inside one block). Every entry is exact in binary.
struct StiffLinear2 {
  static constexpr double kSlowPerH = -1.0, kFastPerH = -1000.0;
  std::vector<std::pair<int, int>> pattern{{0, 0}, {0, 1}, {1, 0}, {1, 1}};

  static double diag() { return 0.5 * (kSlowPerH + kFastPerH); }
  static double off() { return 0.5 * (kSlowPerH - kFastPerH); }
  void rhs(const Eigen::VectorXd& y, Eigen::VectorXd& dydt) const {
    dydt[0] = diag() * y[0] + off() * y[1];
    dydt[1] = off() * y[0] + diag() * y[1];
  }
  const std::vector<std::pair<int, int>>& jacobian_nonzeros() const { return pattern; }
  void jacobian_values(const Eigen::VectorXd&, double* v) const {
    v[0] = diag();
    v[1] = off();
    v[2] = off();
    v[3] = diag();
  }
  // The closed form: y0[0] + y0[1] decays at the slow rate, y0[0] - y0[1] at the fast one.
  static Eigen::VectorXd exact(const Eigen::VectorXd& y0, double t) {
    const double u = (y0[0] + y0[1]) * std::exp(kSlowPerH * t);
    const double w = (y0[0] - y0[1]) * std::exp(kFastPerH * t);
    Eigen::VectorXd y(2);
    y << 0.5 * (u + w), 0.5 * (u - w);
    return y;
  }
};

// y' = -y^2 (nonlinear): y(t) = y0 / (1 + y0 t).
struct Riccati1 {
  std::vector<std::pair<int, int>> pattern{{0, 0}};
  void rhs(const Eigen::VectorXd& y, Eigen::VectorXd& dydt) const { dydt[0] = -y[0] * y[0]; }
  const std::vector<std::pair<int, int>>& jacobian_nonzeros() const { return pattern; }
  void jacobian_values(const Eigen::VectorXd& y, double* v) const { v[0] = -2.0 * y[0]; }
  static double exact(double y0, double t) { return y0 / (1.0 + y0 * t); }
};

// Rodas4 through the engine's segment driver from t0 to t1, as the engine's integrator runs it:
// samples in (t0, t1) into at_samples, the work into stats (accepted steps counted by the
// driver, evaluations and rejections by the stepper). Throws on failure.
template <class System>
Eigen::VectorXd drive_rodas4(Rodas4Stepper<System>& stepper, const System& sys, Eigen::VectorXd y,
                             double t0, double t1, double h0, const SolverOptions& opt,
                             const std::vector<double>& samples = {},
                             std::vector<Eigen::VectorXd>* at_samples = nullptr,
                             SolverStats* stats_out = nullptr) {
  SampleCursor cursor{&samples, 0};
  const SampleFn record = [&](double, const Eigen::VectorXd& x) {
    if (at_samples) at_samples->push_back(x);
  };
  SolverStats stats;
  Eigen::VectorXd scratch;
  const Drive d = drive_segment(stepper, sys, y, t0, t1, h0, {opt.max_step_h, opt.max_steps},
                                cursor, record, stats, scratch);
  if (d.failed) throw std::runtime_error("Rodas4 failed: " + d.why);
  stats.rhs_evaluations = stepper.odeint_stats().rhs_evaluations;
  stats.jacobian_evaluations = stepper.odeint_stats().jacobian_evaluations;
  stats.rejected_steps = stepper.odeint_stats().rejected_steps;
  if (stats_out) *stats_out = stats;
  return y;
}

// Rodas4 with every step of size h (t1 - t0 a multiple of h): a tolerance so loose that no
// step is rejected, and max_step_h = h so that the controller never grows it.
template <class System>
Eigen::VectorXd rodas4_fixed_steps(const System& sys, Eigen::VectorXd y, double t0, double t1,
                                   double h, const std::vector<double>& samples = {},
                                   std::vector<Eigen::VectorXd>* at_samples = nullptr,
                                   SolverStats* stats_out = nullptr) {
  SolverOptions opt;
  opt.rtol = 1e30;
  opt.max_step_h = h;
  opt.initial_step_h = h;
  Rodas4Stepper<System> stepper(opt, Eigen::VectorXd::Constant(y.size(), 1e30));
  return drive_rodas4(stepper, sys, std::move(y), t0, t1, h, opt, samples, at_samples, stats_out);
}

}  // namespace morsim::testing
