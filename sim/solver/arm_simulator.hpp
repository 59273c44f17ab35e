// Runs dosing schedules through a compiled model: events, segments, steady state, recording.
#pragma once

#include <Eigen/Dense>
#include <memory>
#include <vector>

#include "pk/dose_schedule.hpp"
#include "solver/compiled_model.hpp"
#include "solver/event_loop.hpp"
#include "solver/integrator.hpp"
#include "solver/simulate.hpp"

namespace morsim {

class ArmSimulator {
 public:
  ArmSimulator(const ScenarioSpec& spec, const CompileOptions& options = {});

  const CompiledModel& model() const { return *model_; }
  const ScenarioSpec& spec() const { return *spec_; }

  // The state before any dose (all zero) or at the periodic steady state of the schedule's
  // steady-state regimen (pre-dose trough), for a simulation starting at t0.
  Eigen::VectorXd initial_state(const ExpandedSchedule& schedule);

  // The periodic steady state (at a dose time, before its inputs) of `regimen` given every
  // ii_h, alone, found by repeated periods from zero; with ii_h = 0 the steady state of its
  // constant infusions (rate_nmol_per_h), solved by Newton's method.
  Eigen::VectorXd steady_state(const std::vector<SteadyStateDose>& regimen, double ii_h);

  // Integrates from (x, t0) to t_end applying every input of `inputs` that starts in
  // [t0, t_end] (inputs before t0 are ignored; a zero-order input that began before t0 is not
  // continued). Samples in [t0, t_end] are recorded; a sample at a dose time sees the dose.
  void run(const std::vector<PhaseInput>& inputs, Eigen::VectorXd& x, double t0, double t_end,
           SampleCursor& samples, const SampleFn& record,
           const ProgressCallback& progress = nullptr);
  // The same with state events (resets, steady states) in [t0, t_end]; event_states[i] is
  // steady_state() of events[i]'s regimen (unused for a reset). At one time the events come
  // first, in record order, then the inputs.
  void run(const std::vector<PhaseInput>& inputs, const std::vector<StateEvent>& events,
           const std::vector<Eigen::VectorXd>& event_states, Eigen::VectorXd& x, double t0,
           double t_end, SampleCursor& samples, const SampleFn& record,
           const ProgressCallback& progress = nullptr);

  // The whole arm on the sample grid, with the event log; the usual entry point. With
  // options.keep_dense_output the run from t0 (not the steady-state pre-runs) is kept too.
  Trajectory simulate(const Arm& arm, const std::vector<double>& sample_t_h,
                      const ProgressCallback& progress = nullptr,
                      const SimulateOptions& options = {});

  // simulate() calls in this process so far, on every thread: lets a test show that a path
  // simulates nothing more.
  static long simulations_started();

 private:
  Eigen::VectorXd constant_infusion_steady_state(const std::vector<SteadyStateDose>& regimen);

  const ScenarioSpec* spec_;
  std::shared_ptr<const CompiledModel> model_;  // shared with the arms' kept dense outputs
  std::unique_ptr<Integrator> integrator_;
  EventLoop loop_;
};

}  // namespace morsim
