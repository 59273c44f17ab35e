// Rodas4's order of convergence and that of its dense output, measured on problems with closed
// forms under step halving (Hairer & Wanner, Solving ODEs II, section IV.7: order 4, dense
// output of order 3).
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <vector>

#include "support/test_systems.hpp"

using namespace morsim;
using namespace morsim::testing;

namespace {

constexpr double kSteps[4] = {0.1, 0.05, 0.025, 0.0125};  // h, h/2, h/4, h/8 (h)

double observed_order(double err_h, double err_half_h) { return std::log2(err_h / err_half_h); }

}  // namespace

TEST_CASE("Rodas4 converges with order 4 on a stiff linear system", "[solver][rodas4]") {
  const StiffLinear2 sys;
  Eigen::VectorXd y0(2);
  y0 << 1.0, 0.0;
  const double t_end_h = 1.0;
  const Eigen::VectorXd exact = StiffLinear2::exact(y0, t_end_h);
  double err[4];
  for (int k = 0; k < 4; ++k) {
    SolverStats stats;
    const Eigen::VectorXd y =
        rodas4_fixed_steps(sys, y0, 0.0, t_end_h, kSteps[k], {}, nullptr, &stats);
    CHECK(stats.steps == std::lround(t_end_h / kSteps[k]));
    CHECK(stats.rejected_steps == 0);
    err[k] = (y - exact).cwiseAbs().maxCoeff();
  }
  for (int k = 0; k + 1 < 4; ++k) {
    const double p = observed_order(err[k], err[k + 1]);
    INFO("h = " << kSteps[k] << ": error " << err[k] << ", observed order " << p);
    CHECK(p >= 3.6);
    CHECK(p <= 4.6);
  }
}

TEST_CASE("Rodas4 converges with order 4 on a nonlinear problem", "[solver][rodas4]") {
  const Riccati1 sys;
  const Eigen::VectorXd y0 = Eigen::VectorXd::Constant(1, 1.0);
  const double t_end_h = 2.0, exact = Riccati1::exact(1.0, t_end_h);
  double err[4];
  for (int k = 0; k < 4; ++k)
    err[k] = std::abs(rodas4_fixed_steps(sys, y0, 0.0, t_end_h, kSteps[k])[0] - exact);
  for (int k = 0; k + 1 < 4; ++k) {
    const double p = observed_order(err[k], err[k + 1]);
    INFO("h = " << kSteps[k] << ": error " << err[k] << ", observed order " << p);
    CHECK(p >= 3.6);
    CHECK(p <= 4.6);
  }
}

// The interpolant's local error is O(h^(p+1)) for a dense output of order p, and interpolation
// errors are not propagated, so at interior points the error falls as h^(p+1) while the
// global error at step ends falls as h^4. Measured (max over theta = 0.2, 0.5, 0.8 of every
// step on [0, 2]): 4.2e-6, 3.2e-7, 2.2e-8, 1.5e-9 for h = 0.1 ... 0.0125, i.e. p = 2.7, 2.9,
// 2.9. Linear interpolation between step ends would give p = 1, a fourth-order one p = 4.
TEST_CASE("Rodas4's dense output is of order 3 at interior points", "[solver][rodas4]") {
  const Riccati1 sys;
  const Eigen::VectorXd y0 = Eigen::VectorXd::Constant(1, 1.0);
  const double t_end_h = 2.0;
  double err[4];
  for (int k = 0; k < 4; ++k) {
    const double h = kSteps[k];
    std::vector<double> samples;
    const auto n_steps = std::lround(t_end_h / h);
    for (long i = 0; i < n_steps; ++i)
      for (double theta : {0.2, 0.5, 0.8}) samples.push_back((static_cast<double>(i) + theta) * h);
    std::vector<Eigen::VectorXd> at;
    rodas4_fixed_steps(sys, y0, 0.0, t_end_h, h, samples, &at);
    REQUIRE(at.size() == samples.size());
    err[k] = 0.0;
    for (std::size_t i = 0; i < samples.size(); ++i)
      err[k] = std::max(err[k], std::abs(at[i][0] - Riccati1::exact(1.0, samples[i])));
  }
  for (int k = 0; k + 1 < 4; ++k) {
    const double dense_order = observed_order(err[k], err[k + 1]) - 1.0;
    INFO("h = " << kSteps[k] << ": interior error " << err[k] << ", dense order " << dense_order);
    CHECK(dense_order >= 2.6);
    CHECK(dense_order <= 3.6);
  }
}
