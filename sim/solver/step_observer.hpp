// What an integrator tells an observer about each accepted step: enough to evaluate the state
// anywhere in it. Observation stays apart from stepping (odeint's stepper / driver / observer).
#pragma once

#include <Eigen/Dense>

namespace morsim {

// One accepted Rodas4 step, t_old_h to t_new_h; inside it, with th = (t - t_old) / (t_new -
// t_old), x(th) = x_old (1 - th) + th (x_new + (1 - th) (c3 + th c4)) (rodas4_stepper.hpp).
struct DenseStep {
  double t_old_h = 0.0, t_new_h = 0.0;
  const Eigen::VectorXd* x_old = nullptr;
  const Eigen::VectorXd* x_new = nullptr;
  const Eigen::VectorXd* c3 = nullptr;
  const Eigen::VectorXd* c4 = nullptr;
};

class StepObserver {
 public:
  virtual ~StepObserver() = default;
  // Steps arrive in time order; the vectors are only valid during the call.
  virtual void on_step(const DenseStep& step) = 0;
};

}  // namespace morsim
