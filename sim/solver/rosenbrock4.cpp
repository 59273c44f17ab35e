// The default integrator: Rodas4 (rodas4_stepper.hpp) driven segment by segment by the
// engine's one driver (dense_driver.hpp), with the failure messages of Integrator.
#include <memory>

#include "solver/dense_driver.hpp"
#include "solver/integrator.hpp"
#include "solver/rodas4_stepper.hpp"

namespace morsim {
namespace {

class Rosenbrock4Integrator final : public Integrator {
 public:
  Rosenbrock4Integrator(const SolverOptions& opt, const std::vector<double>& atol)
      : limits_{opt.max_step_h, opt.max_steps},
        h_(opt.initial_step_h),
        stepper_(opt, Eigen::Map<const Eigen::VectorXd>(atol.data(),
                                                        static_cast<Eigen::Index>(atol.size()))) {}

  const char* method() const override { return "rosenbrock4"; }
  void restart_step(double h) override { h_ = h; }
  bool observes_steps() const override { return true; }

  void integrate(const SegmentSystem& sys, Eigen::VectorXd& x, double t0, double t1,
                 SampleCursor& samples, const SampleFn& record) override {
    const SolverStats before = stepper_.odeint_stats();
    const Drive d = drive_segment(stepper_, sys, x, t0, t1, h_, limits_, samples, record, stats_,
                                  scratch_, observer_);
    // The stepper counts its own evaluations and rejections; the driver the accepted steps.
    const SolverStats& after = stepper_.odeint_stats();
    stats_.rhs_evaluations += after.rhs_evaluations - before.rhs_evaluations;
    stats_.jacobian_evaluations += after.jacobian_evaluations - before.jacobian_evaluations;
    stats_.rejected_steps += after.rejected_steps - before.rejected_steps;
    if (d.failed) fail(d.t_h, x, d.why);
  }

 private:
  DriveLimits limits_;
  double h_;  // the first step of the next segment
  Rodas4Stepper<SegmentSystem> stepper_;
  Eigen::VectorXd scratch_;
};

}  // namespace

std::unique_ptr<Integrator> make_rosenbrock4(const SolverOptions& opt,
                                             const std::vector<double>& atol) {
  return std::make_unique<Rosenbrock4Integrator>(opt, atol);
}

std::unique_ptr<Integrator> make_integrator(const SolverOptions& opt,
                                            const std::vector<double>& atol,
                                            const CompiledModel& model) {
  switch (opt.method) {
    case SolverMethod::kDopri5:
      return make_dopri5(opt, atol.size());
    case SolverMethod::kExactLinear:
      if (model.is_linear()) return make_exact_linear();
      break;  // kinetic binding is nonlinear: the full system is integrated
    case SolverMethod::kRosenbrock4:
      break;
  }
  return make_rosenbrock4(opt, atol);
}

}  // namespace morsim
