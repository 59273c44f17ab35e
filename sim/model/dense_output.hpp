// An arm's run kept on the solver's dense output: its observables at any time of the run, as
// a simulation sampled there would give them, without simulating again. The solver makes it
// (solver/recorded_arm.hpp); this layer only needs the interface.
#pragma once

#include <cstddef>
#include <vector>

#include "model/trajectory.hpp"

namespace morsim {

class DenseOutput {
 public:
  virtual ~DenseOutput() = default;
  // The span of the run: sample() takes times in [t_begin_h, t_end_h].
  virtual double t_begin_h() const = 0;
  virtual double t_end_h() const = 0;
  // The arm on sorted times within the span: its compounds and flags, no dose log, no stats.
  // A time where two steps meet (a dose) sees the dose, as a sample there does.
  virtual Trajectory sample(const std::vector<double>& t_h) const = 0;
  // What the record holds, for reports: accepted steps and bytes.
  virtual std::size_t n_steps() const = 0;
  virtual std::size_t bytes() const = 0;
};

}  // namespace morsim
