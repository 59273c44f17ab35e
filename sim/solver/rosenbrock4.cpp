// The default integrator: Rodas4 (rodas4_stepper.hpp) on a model segment, with the failure
// messages of Integrator.
#include <memory>

#include "solver/integrator.hpp"
#include "solver/rodas4_stepper.hpp"

namespace morsim {
namespace {

class Rosenbrock4Integrator final : public Integrator {
 public:
  Rosenbrock4Integrator(const SolverOptions& opt, const std::vector<double>& atol)
      : stepper_(opt, Eigen::Map<const Eigen::VectorXd>(atol.data(),
                                                        static_cast<Eigen::Index>(atol.size()))) {}

  const char* method() const override { return "rosenbrock4"; }
  void restart_step(double h) override { stepper_.restart_step(h); }
  bool observes_steps() const override { return true; }

  void integrate(const SegmentSystem& sys, Eigen::VectorXd& x, double t0, double t1,
                 SampleCursor& samples, const SampleFn& record) override {
    double t = t0;
    stepper_.set_step_observer(observer_);
    switch (stepper_.integrate(sys, x, t0, t1, samples, record, stats_, t)) {
      case Rodas4Status::kDone:
        return;
      case Rodas4Status::kSingularMatrix:
        fail(t, x, "singular iteration matrix");
      case Rodas4Status::kStepUnderflow:
        fail(t, x, "step size underflow");
      case Rodas4Status::kNonFiniteState:
        fail(t, x, "non-finite state");
      case Rodas4Status::kMaxSteps:
        fail(t, x, "more than max_steps steps");
    }
  }

 private:
  Rodas4Stepper<SegmentSystem> stepper_;
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
