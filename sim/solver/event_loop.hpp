// The one event loop: single runs, steady-state periods, a sweep's cached prefixes and
// challenges, and population arms all integrate between their events through EventLoop::run.
#pragma once

#include <Eigen/Dense>
#include <vector>

#include "pk/dose_schedule.hpp"
#include "solver/compiled_model.hpp"
#include "solver/integrator.hpp"
#include "solver/simulate.hpp"

namespace morsim {

// The span of one run and how its ends meet other runs.
struct EventSpan {
  double t0_h = 0.0, t1_h = 0.0;
  // false (a whole run): inputs starting before t0 are ignored, those at t1 are applied and
  // samples at t1 see them. true (a run that continues a state at t0, e.g. a sweep's cached
  // prefix): zero-order inputs that began before t0 and still run continue, and inputs at t1
  // are left to the run that starts there, so that runs to and from t1 chain exactly.
  bool chained = false;
};

// A reset or steady state replacing (or adding to) the state; `steady` is the regimen's
// steady state (unused for a reset). What left the body stays counted.
void apply_state_event(const CompiledModel& model, const StateEvent& event,
                       const Eigen::VectorXd& steady, Eigen::VectorXd& x);

// Adds the zero-order rate of `in` (nmol/h: its constant-infusion rate, else amount over
// duration) to u, on the states it feeds.
void add_input_rate(const CompiledModel& model, const PhaseInput& in, Eigen::VectorXd& u);

class EventLoop {
 public:
  // Advances x over `span`: breakpoints at every event, input start and zero-order input end;
  // boluses and events applied at their time (events first, in record order), the step
  // restarted at `initial_step_h` after each, zero-order rates constant between breakpoints.
  // Samples in [t0, t1] are recorded; a sample at an input time sees the input (at t1 only
  // when the span is not chained). event_states[i] belongs to events[i]. `progress` is asked
  // between segments; false stops the run with SolverError.
  void run(const CompiledModel& model, Integrator& integrator, double initial_step_h,
           const std::vector<PhaseInput>& inputs, const std::vector<StateEvent>& events,
           const std::vector<Eigen::VectorXd>& event_states, Eigen::VectorXd& x,
           const EventSpan& span, SampleCursor& samples, const SampleFn& record,
           const ProgressCallback& progress = nullptr);
  // The same without state events.
  void run(const CompiledModel& model, Integrator& integrator, double initial_step_h,
           const std::vector<PhaseInput>& inputs, Eigen::VectorXd& x, const EventSpan& span,
           SampleCursor& samples, const SampleFn& record);

 private:
  Eigen::VectorXd u_;  // zero-order input rates of the current segment (nmol/h per state)
  std::vector<double> breakpoints_;
};

}  // namespace morsim
