// The non-stiff alternative: Boost.Odeint's Dormand-Prince 5(4) dense-output stepper, with
// Eigen vectors as state through odeint's vector-space algebra.
#include <boost/numeric/odeint.hpp>
#include <boost/numeric/odeint/external/eigen/eigen.hpp>
#include <cmath>
#include <sstream>

#include "model/errors.hpp"
#include "solver/integrator.hpp"

namespace morsim {
namespace {

namespace odeint = boost::numeric::odeint;
using State = Eigen::VectorXd;
using Dopri5 =
    odeint::runge_kutta_dopri5<State, double, State, double, odeint::vector_space_algebra>;
using DenseDopri5 = odeint::result_of::make_dense_output<Dopri5>::type;

class Dopri5Integrator final : public Integrator {
 public:
  Dopri5Integrator(const SolverOptions& opt, std::size_t n)
      : opt_(opt),
        h_(opt.initial_step_h),
        stepper_(odeint::make_dense_output(opt.atol, opt.rtol, Dopri5())),
        xs_(static_cast<Eigen::Index>(n)) {}

  const char* method() const override { return "dopri5"; }
  void restart_step(double h) override { h_ = h; }

  void integrate(const SegmentSystem& sys, Eigen::VectorXd& x, double t0, double t1,
                 SampleCursor& samples, const SampleFn& record) override {
    ++stats_.segments;
    auto f = [&](const State& y, State& dydt, double /*t*/) {
      ++stats_.rhs_evaluations;
      sys.rhs(y, dydt);
    };
    const double max_step = opt_.max_step_h > 0.0 ? opt_.max_step_h : t1 - t0;
    stepper_.initialize(x, t0, std::min({h_, t1 - t0, max_step}));
    for (;;) {
      const double t = stepper_.current_time();
      const double remaining = t1 - t;
      if (remaining <= 1e-13 * std::max(1.0, std::abs(t1))) break;
      double h = std::min(stepper_.current_time_step(), max_step);
      if (h >= remaining || h != stepper_.current_time_step()) {
        // Re-initialising is how odeint's dense stepper is made to stop exactly at t1.
        h_ = stepper_.current_time_step();
        stepper_.initialize(stepper_.current_state(), t, std::min(h, remaining));
      }
      const auto [t_old, t_new_raw] = stepper_.do_step(f);
      ++stats_.steps;
      const double t_new = (t1 - t_new_raw) <= 1e-13 * std::max(1.0, std::abs(t1)) ? t1 : t_new_raw;
      const State& xn = stepper_.current_state();
      for (Eigen::Index i = 0; i < xn.size(); ++i)
        if (!std::isfinite(xn[i])) fail(t_old, stepper_.current_state(), "non-finite state");
      while (!samples.done() && samples.peek() <= t_new && samples.peek() < t1) {
        const double s = samples.peek();
        if (s >= t_new_raw) {
          record(s, xn);
        } else {
          stepper_.calc_state(s, xs_);
          record(s, xs_);
        }
        ++samples.next;
      }
      if (stats_.steps > opt_.max_steps) fail(t_new, xn, "more than max_steps steps");
      if (t_new == t1) break;
    }
    x = stepper_.current_state();
    h_ = std::max(h_, stepper_.current_time_step());
  }

 private:
  SolverOptions opt_;
  double h_;
  DenseDopri5 stepper_;
  State xs_;
};

}  // namespace

std::unique_ptr<Integrator> make_dopri5(const SolverOptions& opt, std::size_t n) {
  return std::make_unique<Dopri5Integrator>(opt, n);
}

}  // namespace morsim
