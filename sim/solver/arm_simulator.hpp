// Runs dosing schedules through a compiled model: events, segments, steady state, recording.
#pragma once

#include <Eigen/Dense>
#include <memory>
#include <vector>

#include "pk/dose_schedule.hpp"
#include "solver/compiled_model.hpp"
#include "solver/integrator.hpp"
#include "solver/simulate.hpp"

namespace morsim {

class ArmSimulator {
 public:
  ArmSimulator(const ScenarioSpec& spec, const CompileOptions& options = {});

  const CompiledModel& model() const { return model_; }
  const ScenarioSpec& spec() const { return *spec_; }
  Integrator& integrator() { return *integrator_; }

  // The state before any dose (all zero) or at the periodic steady state of the schedule's
  // steady-state regimen (pre-dose trough), for a simulation starting at t0.
  Eigen::VectorXd initial_state(const ExpandedSchedule& schedule);

  // Integrates from (x, t0) to t_end applying every input of `inputs` that starts in
  // [t0, t_end] (inputs before t0 are ignored; a zero-order input that began before t0 is not
  // continued). Samples in [t0, t_end] are recorded; a sample at a dose time sees the dose.
  void run(const std::vector<PhaseInput>& inputs, Eigen::VectorXd& x, double t0, double t_end,
           SampleCursor& samples, const SampleFn& record,
           const ProgressCallback& progress = nullptr);

  // The whole arm on the sample grid, with the event log; the usual entry point.
  Trajectory simulate(const Arm& arm, const std::vector<double>& sample_t_h,
                      const ProgressCallback& progress = nullptr);

 private:
  void apply_bolus(const PhaseInput& in, Eigen::VectorXd& x) const;
  void add_rate(const PhaseInput& in, Eigen::VectorXd& u) const;

  const ScenarioSpec* spec_;
  CompiledModel model_;
  std::unique_ptr<Integrator> integrator_;
  Eigen::VectorXd u_;
  std::vector<double> breakpoints_;
};

}  // namespace morsim
