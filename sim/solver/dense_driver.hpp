// One driver for the dense-output steppers of Odeint's concept (initialize, do_step,
// calc_state, current_state, current_time, current_time_step): morsim's Rodas4 and Odeint's
// Dormand-Prince 5(4). It advances one event-free segment to exactly t1 so that no step crosses
// a dose, emits the samples inside it from the dense output, shows each accepted step to an
// observer, enforces max_steps and turns a stepper's failure into a Drive result. Stepping,
// step-size control (the stepper's), sampling and observation stay apart.
#pragma once

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <exception>
#include <string>
#include <type_traits>
#include <utility>

#include "model/trajectory.hpp"
#include "solver/sample_cursor.hpp"
#include "solver/step_observer.hpp"

namespace morsim {

struct DriveLimits {
  double max_step_h = 0.0;  // 0: unlimited
  long max_steps = 0;       // accepted steps counted in stats.steps
};

// How a segment ended; on failure x holds the last accepted state, reached at t_h.
struct Drive {
  bool failed = false;
  double t_h = 0.0;
  std::string why;
};

namespace detail {
template <class S, class = void>
struct shows_dense_step : std::false_type {};
template <class S>
struct shows_dense_step<S, std::void_t<decltype(std::declval<const S&>().dense_step(0.0, 0.0))>>
    : std::true_type {};
}  // namespace detail

// Advances x from t0 to t1 with `stepper` on `system`, starting with step h_next (at most
// max_step_h) and leaving in h_next the step to start the next segment with. The last step is
// cut to end at t1, and a step that would leave less than 1% of itself before t1 is stretched
// to it; after that cut the controller's proposal from before it is kept unless the cut step
// asked for a smaller one. Samples s with t0 < s < t1 are recorded (s at a step's end: the
// step's state exactly). `observer` sees each accepted step when the stepper can show it
// (Rodas4's dense_step()). `scratch` holds interpolated samples.
template <class Stepper, class System>
Drive drive_segment(Stepper& stepper, System&& system, Eigen::VectorXd& x, double t0, double t1,
                    double& h_next, const DriveLimits& limits, SampleCursor& samples,
                    const SampleFn& record, SolverStats& stats, Eigen::VectorXd& scratch,
                    StepObserver* observer = nullptr) {
  ++stats.segments;
  const double max_step = limits.max_step_h > 0.0 ? limits.max_step_h : t1 - t0;
  double t = t0, proposal = h_next, h = std::min(proposal, max_step), before_cut = proposal;
  bool last = false;
  if (t + 1.01 * h >= t1) {
    h = t1 - t;
    last = true;
  }
  stepper.initialize(x, t, h);
  try {
    for (;;) {
      stepper.do_step(system);
      ++stats.steps;
      const Eigen::VectorXd& xn = stepper.current_state();
      if (!xn.allFinite()) {
        x = stepper.previous_state();
        return {true, t, "non-finite state"};
      }
      // A rejected attempt makes the accepted step shorter than planned: then it is not the
      // last one. (A planned step is taken whole or cut to at most 0.9 of itself.)
      const bool reached_end = last && t1 - stepper.current_time() <= 1e-9 * h;
      const double t_new = reached_end ? t1 : stepper.current_time();
      while (!samples.done() && samples.peek() <= t_new && samples.peek() < t1) {
        const double s = samples.peek();
        if (s >= stepper.current_time()) {
          record(s, xn);
        } else {
          stepper.calc_state(s, scratch);
          record(s, scratch);
        }
        ++samples.next;
      }
      if constexpr (detail::shows_dense_step<std::decay_t<Stepper>>::value)
        if (observer) observer->on_step(stepper.dense_step(t, t_new));
      proposal = stepper.current_time_step();
      if (stats.steps > limits.max_steps) {
        x = xn;
        return {true, t_new, "more than max_steps steps"};
      }
      if (reached_end) {
        x = xn;
        h_next = proposal < stepper.current_time() - t ? proposal : before_cut;
        return {};
      }
      t = t_new;
      h = std::min(proposal, max_step);
      last = false;
      before_cut = proposal;
      if (t + 1.01 * h >= t1) {
        h = t1 - t;
        last = true;
      }
      if (h != proposal) stepper.initialize(stepper.current_state(), t, h);
    }
  } catch (const std::exception& e) {
    x = stepper.current_state();
    return {true, stepper.current_time(), e.what()};
  }
}

}  // namespace morsim
