// morsim's Rodas4 stepper as a Boost.Odeint dense-output stepper: odeint's integrate functions
// drive it, it takes the steps the engine's integrate() takes, and it agrees with odeint's own
// rosenbrock4 dense output (uBLAS) and with the closed form.
#include <boost/numeric/odeint.hpp>
#include <catch2/catch.hpp>
#include <cmath>
#include <vector>

#include "support/test_systems.hpp"

using namespace morsim;
using namespace morsim::testing;
namespace odeint = boost::numeric::odeint;

namespace {

SolverOptions tolerances(double rtol) {
  SolverOptions opt;
  opt.rtol = rtol;
  opt.initial_step_h = 1e-4;
  return opt;
}

std::vector<double> sample_times() {
  std::vector<double> t;
  for (int i = 0; i <= 20; ++i) t.push_back(0.05 * i);
  return t;
}

}  // namespace

TEST_CASE("odeint::integrate_times drives morsim's Rodas4 to the closed form", "[solver][rodas4]") {
  const StiffLinear2 sys;
  Eigen::VectorXd y(2);
  y << 1.0, 0.0;
  const Eigen::VectorXd y0 = y;
  Rodas4Stepper<StiffLinear2> stepper(tolerances(1e-8), Eigen::VectorXd::Constant(2, 1e-12));
  const std::vector<double> times = sample_times();
  std::vector<double> seen_t;
  double worst = 0.0;
  const std::size_t steps = odeint::integrate_times(
      std::ref(stepper), sys, y, times.begin(), times.end(), 1e-4,
      [&](const Eigen::VectorXd& x, double t) {
        seen_t.push_back(t);
        worst = std::max(worst, (x - StiffLinear2::exact(y0, t)).cwiseAbs().maxCoeff());
      });
  CHECK(seen_t == times);
  INFO(steps << " steps, largest error " << worst);
  CHECK(worst <= 1e-7);
  CHECK(worst > 0.0);
  CHECK(steps == static_cast<std::size_t>(stepper.odeint_stats().steps));
  CHECK(steps > 10);  // adaptive: the fast mode is followed, then the step grows
}

TEST_CASE("Rodas4 through odeint takes the steps of the engine's driver", "[solver][rodas4]") {
  // Up to the last step, which odeint cuts to end at the last time by re-initialising and the
  // engine's driver by its own rule (no sliver of a step before a stop), both are the same
  // arithmetic.
  const StiffLinear2 sys;
  Eigen::VectorXd y0(2);
  y0 << 1.0, 0.0;
  const std::vector<double> times = sample_times();

  std::vector<Eigen::VectorXd> by_odeint;
  Rodas4Stepper<StiffLinear2> concept(tolerances(1e-6), Eigen::VectorXd::Constant(2, 1e-10));
  Eigen::VectorXd y = y0;
  odeint::integrate_times(std::ref(concept), sys, y, times.begin(), times.end(), 1e-4,
                          [&](const Eigen::VectorXd& x, double) { by_odeint.push_back(x); });

  const SolverOptions opt = tolerances(1e-6);
  Rodas4Stepper<StiffLinear2> engine(opt, Eigen::VectorXd::Constant(2, 1e-10));
  std::vector<Eigen::VectorXd> by_engine{y0};
  const std::vector<double> inner(times.begin() + 1, times.end() - 1);
  SolverStats stats;
  const Eigen::VectorXd end =
      drive_rodas4(engine, sys, y0, 0.0, times.back(), 1e-4, opt, inner, &by_engine, &stats);
  by_engine.push_back(end);  // after the inner samples
  REQUIRE(by_engine.size() == by_odeint.size());
  for (std::size_t i = 0; i + 1 < times.size(); ++i) {
    INFO("t = " << times[i]);
    // The samples inside the last step may differ by that step's cut: compare to the tolerance.
    CHECK((by_engine[i] - by_odeint[i]).cwiseAbs().maxCoeff() <= 1e-9);
  }
  CHECK(std::abs(stats.steps - concept.odeint_stats().steps) <= 1);
}

TEST_CASE("Rodas4 through odeint agrees with odeint's own rosenbrock4", "[solver][rodas4]") {
  using Vector = boost::numeric::ublas::vector<double>;
  using Matrix = boost::numeric::ublas::matrix<double>;
  const double d = StiffLinear2::diag(), o = StiffLinear2::off();
  auto f = [&](const Vector& v, Vector& dv, double) {
    dv(0) = d * v(0) + o * v(1);
    dv(1) = o * v(0) + d * v(1);
  };
  auto jac = [&](const Vector&, Matrix& j, double, Vector& dfdt) {
    j(0, 0) = d, j(0, 1) = o, j(1, 0) = o, j(1, 1) = d;
    dfdt(0) = dfdt(1) = 0.0;
  };
  const std::vector<double> times = sample_times();
  Vector v(2);
  v(0) = 1.0, v(1) = 0.0;
  std::vector<double> theirs;
  odeint::integrate_times(odeint::make_dense_output(1e-12, 1e-9, odeint::rosenbrock4<double>()),
                          std::make_pair(f, jac), v, times.begin(), times.end(), 1e-4,
                          [&](const Vector& s, double) { theirs.push_back(s(0)); });

  Eigen::VectorXd y(2);
  y << 1.0, 0.0;
  Rodas4Stepper<StiffLinear2> ours(tolerances(1e-9), Eigen::VectorXd::Constant(2, 1e-12));
  std::vector<double> mine;
  odeint::integrate_times(std::ref(ours), StiffLinear2{}, y, times.begin(), times.end(), 1e-4,
                          [&](const Eigen::VectorXd& s, double) { mine.push_back(s[0]); });
  REQUIRE(mine.size() == theirs.size());
  for (std::size_t i = 0; i < mine.size(); ++i) {
    INFO("t = " << times[i] << ": morsim " << mine[i] << ", odeint " << theirs[i]);
    CHECK(std::abs(mine[i] - theirs[i]) <= 1e-8);
  }
}
