// Rodas4 with step-size control and dense output, for any autonomous system
// y' = f(y) on Eigen vectors with an analytic Jacobian of known sparsity.
//
// odeint's own rosenbrock4 is tied to uBLAS; this keeps its method and coefficients
// (Hairer & Wanner, Solving ODEs II, 1996, section IV.7) but stores the state in Eigen and
// factorises W = I/(gamma h) - J block by block along the pattern of J
// (block_triangular_lu.hpp). The system is autonomous (a morsim segment has constant inputs),
// so the df/dt terms vanish. Templated so that the engine's SegmentSystem and the tests'
// closed-form problems run the same code, with the right-hand side inlined. It models Odeint's
// dense-output stepper concept (initialize, do_step, calc_state), so odeint::integrate_times and
// the other integrate functions can drive it; the engine drives it, and Odeint's dopri5, through
// drive_segment() (dense_driver.hpp), which stops exactly at doses and samples.
//
// System must provide:
//   void rhs(const Eigen::VectorXd& x, Eigen::VectorXd& dxdt) const;
//   const std::vector<std::pair<int, int>>& jacobian_nonzeros() const;  // (row, col), fixed
//   void jacobian_values(const Eigen::VectorXd& x, double* v) const;    // in that order
#pragma once

#include <Eigen/Dense>
#include <algorithm>
#include <boost/numeric/odeint/stepper/stepper_categories.hpp>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <utility>
#include <vector>

#include "model/scenario.hpp"
#include "model/trajectory.hpp"
#include "solver/block_triangular_lu.hpp"
#include "solver/step_observer.hpp"

namespace morsim {

struct Rodas4Coefficients {
  static constexpr double gamma = 0.25;
  static constexpr double a21 = 0.1544000000000000e+01;
  static constexpr double a31 = 0.9466785280815826e+00, a32 = 0.2557011698983284e+00;
  static constexpr double a41 = 0.3314825187068521e+01, a42 = 0.2896124015972201e+01,
                          a43 = 0.9986419139977817e+00;
  static constexpr double a51 = 0.1221224509226641e+01, a52 = 0.6019134481288629e+01,
                          a53 = 0.1253708332932087e+02, a54 = -0.6878860361058950e+00;
  static constexpr double c21 = -0.5668800000000000e+01;
  static constexpr double c31 = -0.2430093356833875e+01, c32 = -0.2063599157091915e+00;
  static constexpr double c41 = -0.1073529058151375e+00, c42 = -0.9594562251023355e+01,
                          c43 = -0.2047028614809616e+02;
  static constexpr double c51 = 0.7496443313967647e+01, c52 = -0.1024680431464352e+02,
                          c53 = -0.3399990352819905e+02, c54 = 0.1170890893206160e+02;
  static constexpr double c61 = 0.8083246795921522e+01, c62 = -0.7981132988064893e+01,
                          c63 = -0.3152159432874371e+02, c64 = 0.1631930543123136e+02,
                          c65 = -0.6058818238834054e+01;
  static constexpr double d21 = 0.1012623508344586e+02, d22 = -0.7487995877610167e+01,
                          d23 = -0.3480091861555747e+02, d24 = -0.7992771707568823e+01,
                          d25 = 0.1025137723295662e+01;
  static constexpr double d31 = -0.6762803392801253e+00, d32 = 0.6087714651680015e+01,
                          d33 = 0.1643084320892478e+02, d34 = 0.2476722511418386e+02,
                          d35 = -0.6594389125716872e+01;
};

template <class System>
class Rodas4Stepper {
 public:
  // `atol` per state; opt.rtol, opt.max_step_h (a cap on every step) and opt.initial_step_h (the
  // first step, unless initialize() gives one) are read.
  Rodas4Stepper(const SolverOptions& opt, const Eigen::VectorXd& atol)
      : opt_(opt), h_(opt.initial_step_h), atol_(atol) {
    for (Eigen::VectorXd* v :
         {&f_, &rhs_, &xtmp_, &xnew_, &g1_, &g2_, &g3_, &g4_, &g5_, &err_, &c3_, &c4_, &xs_})
      v->resize(atol.size());
  }

  // Boost.Odeint's dense-output stepper concept, so that odeint::integrate_times,
  // integrate_const and integrate_adaptive drive this stepper as they drive odeint's own
  // rosenbrock4 dense output (tests/unit/test_rodas4_odeint.cpp), and so does the engine's
  // segment driver (dense_driver.hpp). A failure throws std::runtime_error.
  using state_type = Eigen::VectorXd;
  using deriv_type = Eigen::VectorXd;
  using value_type = double;
  using time_type = double;
  using order_type = unsigned short;
  using stepper_category = boost::numeric::odeint::dense_output_stepper_tag;
  static constexpr order_type order() { return 4; }

  void initialize(const Eigen::VectorXd& x0, double t0, double dt0) {
    current_ = x0;
    t_current_ = t0;
    h_ = dt0;
  }
  // One accepted step from the current state (rejected attempts retried smaller).
  std::pair<double, double> do_step(const System& sys) {
    prepare(sys, current_, odeint_stats_);
    double h = opt_.max_step_h > 0.0 ? std::min(h_, opt_.max_step_h) : h_;
    for (;;) {
      if (!attempt(sys, current_, h, odeint_stats_))
        throw std::runtime_error("singular iteration matrix");
      const double e = error_norm(current_);
      if (e <= 1.0) {
        ++odeint_stats_.steps;
        dense_coefficients();
        previous_.swap(current_);
        current_.swap(xnew_);
        t_previous_ = t_current_;
        t_current_ += h;
        h_ = h * accepted_factor(e);
        return {t_previous_, t_current_};
      }
      ++odeint_stats_.rejected_steps;
      h *= rejected_factor(e);
      if (h < 1e-14 * std::max(1.0, std::abs(t_current_)))
        throw std::runtime_error(std::isfinite(e) ? "step size underflow" : "non-finite state");
    }
  }
  // The dense output of the last step, at t in [previous_time(), current_time()].
  void calc_state(double t, Eigen::VectorXd& x) const {
    const double th = (t - t_previous_) / (t_current_ - t_previous_), th1 = 1.0 - th;
    x = previous_ * th1 + th * (current_ + th1 * (c3_ + th * c4_));
  }
  const Eigen::VectorXd& current_state() const { return current_; }
  double current_time() const { return t_current_; }
  double current_time_step() const { return h_; }
  const Eigen::VectorXd& previous_state() const { return previous_; }
  double previous_time() const { return t_previous_; }
  // The last step, from t_old_h to t_new_h (its ends as the driver reports them), for a
  // StepObserver.
  DenseStep dense_step(double t_old_h, double t_new_h) const {
    return {t_old_h, t_new_h, &previous_, &current_, &c3_, &c4_};
  }
  // Work done by do_step(): right-hand sides, Jacobians, accepted and rejected steps.
  const SolverStats& odeint_stats() const { return odeint_stats_; }

 private:
  // The Jacobian's values and f at x, the start of a step (the LU's block structure analysed
  // once per sparsity pattern).
  void prepare(const System& sys, const Eigen::VectorXd& x, SolverStats& stats) {
    if (!lu_.analysed() || analysed_pattern_ != sys.jacobian_nonzeros()) {
      analysed_pattern_ = sys.jacobian_nonzeros();
      lu_.analyse(x.size(), analysed_pattern_);
      jac_values_.assign(analysed_pattern_.size(), 0.0);
    }
    sys.jacobian_values(x, jac_values_.data());
    ++stats.jacobian_evaluations;
    sys.rhs(x, f_);
    ++stats.rhs_evaluations;
  }

  // Rodas4's dense output coefficients of an accepted step (Hairer & Wanner).
  void dense_coefficients() {
    using C = Rodas4Coefficients;
    c3_ = C::d21 * g1_ + C::d22 * g2_ + C::d23 * g3_ + C::d24 * g4_ + C::d25 * g5_;
    c4_ = C::d31 * g1_ + C::d32 * g2_ + C::d33 * g3_ + C::d34 * g4_ + C::d35 * g5_;
  }

  // Standard controller for an order-3 error estimate: growth limited to 5x after an accepted
  // step, a cut to between 0.2x and 0.9x after a rejected one (0.25x when it was not finite).
  // (Gustafsson's predictive controller measured no better: benchmarks/README.md.)
  static double accepted_factor(double e) {
    return e > 0.0 ? std::clamp(0.9 * std::pow(e, -0.25), 0.2, 5.0) : 5.0;
  }
  static double rejected_factor(double e) {
    return std::isfinite(e) ? std::clamp(0.9 * std::pow(e, -0.25), 0.2, 0.9) : 0.25;
  }

  // The stages of one step of length h from x, with jac_values_ and f_ evaluated at x: the new
  // state in xnew_, the error estimate in err_. false when W = I/(gamma h) - J is singular.
  bool attempt(const System& sys, const Eigen::VectorXd& x, double h, SolverStats& stats) {
    using C = Rodas4Coefficients;
    const double inv_h = 1.0 / h;
    if (!lu_.compute_from_values(jac_values_.data(), inv_h / C::gamma)) return false;

    // Right-hand sides are built in rhs_ first: solving straight from an expression
    // would make Eigen allocate a temporary for every stage.
    lu_.solve(f_, g1_);
    xtmp_ = x + C::a21 * g1_;
    eval(sys, xtmp_, stats);
    rhs_ = xs_ + (C::c21 * inv_h) * g1_;
    lu_.solve(rhs_, g2_);
    xtmp_ = x + C::a31 * g1_ + C::a32 * g2_;
    eval(sys, xtmp_, stats);
    rhs_ = xs_ + inv_h * (C::c31 * g1_ + C::c32 * g2_);
    lu_.solve(rhs_, g3_);
    xtmp_ = x + C::a41 * g1_ + C::a42 * g2_ + C::a43 * g3_;
    eval(sys, xtmp_, stats);
    rhs_ = xs_ + inv_h * (C::c41 * g1_ + C::c42 * g2_ + C::c43 * g3_);
    lu_.solve(rhs_, g4_);
    xtmp_ = x + C::a51 * g1_ + C::a52 * g2_ + C::a53 * g3_ + C::a54 * g4_;
    eval(sys, xtmp_, stats);
    rhs_ = xs_ + inv_h * (C::c51 * g1_ + C::c52 * g2_ + C::c53 * g3_ + C::c54 * g4_);
    lu_.solve(rhs_, g5_);
    xtmp_ += g5_;
    eval(sys, xtmp_, stats);
    rhs_ = xs_ + inv_h * (C::c61 * g1_ + C::c62 * g2_ + C::c63 * g3_ + C::c64 * g4_ + C::c65 * g5_);
    lu_.solve(rhs_, err_);
    xnew_ = xtmp_ + err_;

    return true;
  }

  void eval(const System& sys, const Eigen::VectorXd& x, SolverStats& stats) {
    sys.rhs(x, xs_);
    ++stats.rhs_evaluations;
  }

  // Largest error relative to atol + rtol |x|; NaN anywhere makes the step fail.
  double error_norm(const Eigen::VectorXd& x) const {
    double e = 0.0;
    for (Eigen::Index i = 0; i < x.size(); ++i) {
      const double sc = atol_[i] + opt_.rtol * std::max(std::abs(x[i]), std::abs(xnew_[i]));
      const double r = std::abs(err_[i]) / sc;
      if (!(r <= e)) e = r;  // also propagates NaN
      if (!std::isfinite(xnew_[i])) return std::numeric_limits<double>::infinity();
    }
    return e;
  }

  SolverOptions opt_;
  double h_;
  Eigen::VectorXd atol_;
  Eigen::VectorXd f_, rhs_, xtmp_, xnew_, g1_, g2_, g3_, g4_, g5_, err_, c3_, c4_, xs_;
  std::vector<double> jac_values_;  // J's entries in the order of sys.jacobian_nonzeros()
  BlockTriangularLu lu_;
  std::vector<std::pair<int, int>> analysed_pattern_;
  // The concept's state: the last step's ends.
  Eigen::VectorXd current_, previous_;
  double t_current_ = 0.0, t_previous_ = 0.0;
  SolverStats odeint_stats_;
};

}  // namespace morsim
