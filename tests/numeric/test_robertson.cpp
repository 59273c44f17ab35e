// Robertson's stiff chemical kinetics (rate constants 0.04, 3e7, 1e4, y0 = (1, 0, 0)) through
// morsim's Rodas4, against the reference values at t = 40 of Hairer & Wanner, Solving Ordinary
// Differential Equations II, 2nd ed. 1996, section IV.10, and against Boost.Odeint's own
// rosenbrock4 (uBLAS storage, separate code) at a much tighter tolerance.
#include <boost/numeric/odeint.hpp>
#include <catch2/catch.hpp>
#include <cmath>
#include <utility>
#include <vector>

#include "solver/rodas4_stepper.hpp"
#include "support/test_systems.hpp"

using namespace morsim;
using morsim::testing::drive_rodas4;

namespace {

constexpr double kK1 = 0.04, kK2 = 3e7, kK3 = 1e4;
constexpr double kTEnd = 40.0;
// Hairer & Wanner (1996), section IV.10: y(40) of the Robertson problem.
constexpr double kRefY1 = 0.7158270687, kRefY2 = 9.185534765e-6, kRefY3 = 0.2841637457;

struct Robertson {
  // Every entry of the 3x3 Jacobian (the LU then factorises one dense block).
  std::vector<std::pair<int, int>> pattern{{0, 0}, {0, 1}, {0, 2}, {1, 0}, {1, 1},
                                           {1, 2}, {2, 0}, {2, 1}, {2, 2}};
  void rhs(const Eigen::VectorXd& y, Eigen::VectorXd& dydt) const {
    const double r1 = kK1 * y[0], r2 = kK2 * y[1] * y[1], r3 = kK3 * y[1] * y[2];
    dydt[0] = -r1 + r3;
    dydt[1] = r1 - r2 - r3;
    dydt[2] = r2;
  }
  const std::vector<std::pair<int, int>>& jacobian_nonzeros() const { return pattern; }
  void jacobian_values(const Eigen::VectorXd& y, double* v) const {
    v[0] = -kK1;
    v[1] = kK3 * y[2];
    v[2] = kK3 * y[1];
    v[3] = kK1;
    v[4] = -2.0 * kK2 * y[1] - kK3 * y[2];
    v[5] = -kK3 * y[1];
    v[6] = 0.0;
    v[7] = 2.0 * kK2 * y[1];
    v[8] = 0.0;
  }
};

Eigen::VectorXd morsim_rodas4(double rtol, double atol, SolverStats& stats) {
  SolverOptions opt;
  opt.rtol = rtol;
  opt.initial_step_h = 1e-6;
  Rodas4Stepper<Robertson> stepper(opt, Eigen::VectorXd::Constant(3, atol));
  Eigen::VectorXd y(3);
  y << 1.0, 0.0, 0.0;
  return drive_rodas4(stepper, Robertson{}, y, 0.0, kTEnd, opt.initial_step_h, opt, {}, nullptr,
                      &stats);
}

// The same problem through odeint's rosenbrock4 with its own controller.
std::vector<double> odeint_rosenbrock4(double rtol, double atol) {
  namespace odeint = boost::numeric::odeint;
  using Vector = boost::numeric::ublas::vector<double>;
  using Matrix = boost::numeric::ublas::matrix<double>;
  auto f = [](const Vector& y, Vector& dydt, double) {
    dydt(0) = -kK1 * y(0) + kK3 * y(1) * y(2);
    dydt(1) = kK1 * y(0) - kK2 * y(1) * y(1) - kK3 * y(1) * y(2);
    dydt(2) = kK2 * y(1) * y(1);
  };
  auto jac = [](const Vector& y, Matrix& j, double, Vector& dfdt) {
    j(0, 0) = -kK1, j(0, 1) = kK3 * y(2), j(0, 2) = kK3 * y(1);
    j(1, 0) = kK1, j(1, 1) = -2.0 * kK2 * y(1) - kK3 * y(2), j(1, 2) = -kK3 * y(1);
    j(2, 0) = 0.0, j(2, 1) = 2.0 * kK2 * y(1), j(2, 2) = 0.0;
    dfdt(0) = dfdt(1) = dfdt(2) = 0.0;
  };
  Vector y(3);
  y(0) = 1.0, y(1) = 0.0, y(2) = 0.0;
  odeint::integrate_adaptive(odeint::make_controlled<odeint::rosenbrock4<double>>(atol, rtol),
                             std::make_pair(f, jac), y, 0.0, kTEnd, 1e-6);
  return {y(0), y(1), y(2)};
}

double rel(double a, double b) { return std::abs(a / b - 1.0); }

}  // namespace

TEST_CASE("Robertson at t = 40 matches Hairer & Wanner's reference values", "[solver][rodas4]") {
  SolverStats stats;
  const Eigen::VectorXd y = morsim_rodas4(1e-8, 1e-14, stats);
  INFO("steps " << stats.steps << ", rejected " << stats.rejected_steps << "; y = " << y[0] << ", "
                << y[1] << ", " << y[2]);
  CHECK(rel(y[0], kRefY1) <= 1e-6);
  CHECK(rel(y[1], kRefY2) <= 1e-5);
  CHECK(rel(y[2], kRefY3) <= 1e-6);
  // Rosenbrock methods keep linear invariants up to rounding when the Jacobian's column sums
  // vanish, so this checks the Jacobian and the LU, not the accuracy.
  CHECK(std::abs(y.sum() - 1.0) <= 1e-12);
  // An adaptive stiff method takes far fewer steps than an explicit one would (~1e7).
  CHECK(stats.steps < 2000);
}

TEST_CASE("Robertson at t = 40 matches Odeint's rosenbrock4 at a tight tolerance",
          "[solver][rodas4]") {
  SolverStats stats;
  const Eigen::VectorXd y = morsim_rodas4(1e-8, 1e-14, stats);
  const std::vector<double> peer = odeint_rosenbrock4(1e-12, 1e-18);
  INFO("odeint: " << peer[0] << ", " << peer[1] << ", " << peer[2]);
  // The peer agrees with the published digits, so it is a fair reference past them.
  CHECK(rel(peer[0], kRefY1) <= 1e-9);
  CHECK(rel(peer[1], kRefY2) <= 1e-9);
  CHECK(rel(peer[2], kRefY3) <= 1e-9);
  CHECK(rel(y[0], peer[0]) <= 1e-6);
  CHECK(rel(y[1], peer[1]) <= 1e-5);
  CHECK(rel(y[2], peer[2]) <= 1e-6);
}
