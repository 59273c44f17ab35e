// The non-stiff alternative: Boost.Odeint's Dormand-Prince 5(4) dense-output stepper, with
// Eigen vectors as state through odeint's vector-space algebra, driven segment by segment by
// the engine's one driver (dense_driver.hpp), as Rodas4 is.
#include <boost/numeric/odeint.hpp>
#include <boost/numeric/odeint/external/eigen/eigen.hpp>

#include "solver/dense_driver.hpp"
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
      : limits_{opt.max_step_h, opt.max_steps},
        h_(opt.initial_step_h),
        stepper_(odeint::make_dense_output(opt.atol, opt.rtol, Dopri5())),
        scratch_(static_cast<Eigen::Index>(n)) {}

  const char* method() const override { return "dopri5"; }
  void restart_step(double h) override { h_ = h; }

  void integrate(const SegmentSystem& sys, Eigen::VectorXd& x, double t0, double t1,
                 SampleCursor& samples, const SampleFn& record) override {
    auto f = [&](const State& y, State& dydt, double /*t*/) {
      ++stats_.rhs_evaluations;
      sys.rhs(y, dydt);
    };
    const Drive d =
        drive_segment(stepper_, f, x, t0, t1, h_, limits_, samples, record, stats_, scratch_);
    if (d.failed) fail(d.t_h, x, d.why);
  }

 private:
  DriveLimits limits_;
  double h_;  // the first step of the next segment
  DenseDopri5 stepper_;
  State scratch_;
};

}  // namespace

std::unique_ptr<Integrator> make_dopri5(const SolverOptions& opt, std::size_t n) {
  return std::make_unique<Dopri5Integrator>(opt, n);
}

}  // namespace morsim
