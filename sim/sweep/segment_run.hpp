// The event loop of the sweep: integrate between input events and extra stops, continuing
// zero-order inputs that began before the start (a copy of ArmSimulator::run's loop with the
// conventions a cached prefix needs).
#pragma once

#include <Eigen/Dense>
#include <vector>

#include "pk/dose_schedule.hpp"
#include "solver/compiled_model.hpp"
#include "solver/integrator.hpp"

namespace morsim::sweep {

struct SegmentScratch {
  Eigen::VectorXd u;
  std::vector<double> breakpoints;
};

// Advances x from t0 to t1. Boluses starting in [t0, t1) are applied at their time (so x at
// t0 is the state before the inputs of t0, and x at t1 the state before those of t1: a prefix
// run to a challenge time chains with a run from it). Zero-order inputs are active on
// [start, start + duration) whenever that overlaps [t0, t1). Samples in [t0, t1] are recorded;
// a sample at an input time sees the input, except at t1.
void advance(const CompiledModel& model, Integrator& integrator, double initial_step_h,
             const std::vector<PhaseInput>& inputs, Eigen::VectorXd& x, double t0, double t1,
             SampleCursor& samples, const SampleFn& record, SegmentScratch& scratch);

}  // namespace morsim::sweep
