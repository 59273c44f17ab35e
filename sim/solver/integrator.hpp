// Adaptive integration of one event-free segment, with output on requested sample times.
#pragma once

#include <Eigen/Dense>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "model/scenario.hpp"
#include "model/trajectory.hpp"
#include "solver/compiled_model.hpp"
#include "solver/sample_cursor.hpp"
#include "solver/step_observer.hpp"

namespace morsim {

// The right-hand side over one segment: the model with constant zero-order inputs `u`.
struct SegmentSystem {
  const CompiledModel* model = nullptr;
  const Eigen::VectorXd* u = nullptr;
  void rhs(const Eigen::VectorXd& x, Eigen::VectorXd& dxdt) const { model->rhs(x, *u, dxdt); }
  void jacobian_values(const Eigen::VectorXd& x, double* v) const { model->jacobian_values(x, v); }
  const std::vector<std::pair<int, int>>& jacobian_nonzeros() const {
    return model->jacobian_nonzeros();
  }
};

class Integrator {
 public:
  virtual ~Integrator() = default;
  // Advances x from t0 to exactly t1 (the last step is cut to end there, so no step crosses
  // a dose) and records every sample s with t0 < s < t1. Throws SolverError on failure.
  virtual void integrate(const SegmentSystem& sys, Eigen::VectorXd& x, double t0, double t1,
                         SampleCursor& samples, const SampleFn& record) = 0;
  // The next segment starts with this step (after a bolus dose the dynamics are fast again).
  virtual void restart_step(double h) = 0;
  // The method's name, as [solver] method spells it.
  virtual const char* method() const = 0;
  // True when the method can show its accepted steps to a StepObserver (Rodas4): a run can then
  // be kept as a DenseRecord. Others (exact-linear has no dense output) ignore the observer.
  virtual bool observes_steps() const { return false; }
  // Every accepted step of later integrate() calls goes to `observer` (nullptr: none).
  void set_step_observer(StepObserver* observer) { observer_ = observer; }
  const SolverStats& stats() const { return stats_; }
  void reset_stats() { stats_ = {}; }
  // Names used in failure messages ("heroin.central"); without them states are numbered.
  void set_state_names(std::vector<std::string> names) { state_names_ = std::move(names); }

 protected:
  // Throws SolverError naming the time, the reason and every state with its value.
  [[noreturn]] void fail(double t_h, const Eigen::VectorXd& x, const std::string& why) const;

  SolverStats stats_;
  std::vector<std::string> state_names_;
  StepObserver* observer_ = nullptr;
};

// Rodas4 (Hairer & Wanner 1996, the coefficients of odeint's rosenbrock4; rodas4_stepper.hpp)
// on Eigen storage, with the stiff method's dense output; the default.
// `atol` is the absolute tolerance per state (CompiledModel::absolute_tolerance()); opt.atol and
// opt.atol_occupancy are not read again.
std::unique_ptr<Integrator> make_rosenbrock4(const SolverOptions& opt,
                                             const std::vector<double>& atol);
// Boost.Odeint's Dormand-Prince 5(4) dense-output stepper on Eigen vectors (non-stiff); its
// error checker takes one scalar atol.
std::unique_ptr<Integrator> make_dopri5(const SolverOptions& opt, std::size_t n);
// Exact propagation of a linear model (CompiledModel::is_linear()): between events
// x(t + h) = E(h) x(t) + G(h) u with E(h) = expm(A h) and G(h) = integral_0^h expm(A s) ds,
// computed once per distinct step length h (sample spacings and dose intervals repeat) and
// cached. No error control and no tolerances: exact to rounding. Only for a linear model.
std::unique_ptr<Integrator> make_exact_linear();
// The integrator that opt.method names for `model`; `atol` as for make_rosenbrock4 (dopri5
// keeps opt.atol). exact-linear on a model that is not linear (kinetic binding) is rosenbrock4.
std::unique_ptr<Integrator> make_integrator(const SolverOptions& opt,
                                            const std::vector<double>& atol,
                                            const CompiledModel& model);

}  // namespace morsim
