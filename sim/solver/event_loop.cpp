// Breakpoints, inputs and events between integration segments.
#include "solver/event_loop.hpp"

#include <algorithm>
#include <string>

#include "model/errors.hpp"

namespace morsim {

void apply_state_event(const CompiledModel& model, const StateEvent& event,
                       const Eigen::VectorXd& steady, Eigen::VectorXd& x) {
  const int eliminated = model.eliminated_state();
  const double out = eliminated >= 0 ? x[eliminated] : 0.0;
  switch (event.kind) {
    case StateEvent::Kind::kReset:
      x.setZero();
      break;
    case StateEvent::Kind::kSteadyState:
      x = steady;
      break;
    case StateEvent::Kind::kSteadyStateAdd:
      x += steady;
      // Amounts and concentrations add (linear PK); occupancies do not: they are set to the
      // binding equilibrium at the new brain concentrations.
      model.binding().equilibrate(x);
      break;
  }
  if (eliminated >= 0) x[eliminated] = out;
}

void add_input_rate(const CompiledModel& model, const PhaseInput& in, Eigen::VectorXd& u) {
  const double rate =
      in.rate_nmol_per_h > 0.0 ? in.rate_nmol_per_h : in.amount_nmol / in.duration_h;
  for (const InputTarget& t : model.input_targets(in.formulation, in.phase))
    u[t.state] += t.factor * rate;
}

void EventLoop::run(const CompiledModel& model, Integrator& integrator, double initial_step_h,
                    const std::vector<PhaseInput>& inputs, Eigen::VectorXd& x,
                    const EventSpan& span, SampleCursor& samples, const SampleFn& record) {
  static const std::vector<StateEvent> no_events;
  static const std::vector<Eigen::VectorXd> no_states;
  run(model, integrator, initial_step_h, inputs, no_events, no_states, x, span, samples, record);
}

void EventLoop::run(const CompiledModel& model, Integrator& integrator, double initial_step_h,
                    const std::vector<PhaseInput>& inputs, const std::vector<StateEvent>& events,
                    const std::vector<Eigen::VectorXd>& event_states, Eigen::VectorXd& x,
                    const EventSpan& span, SampleCursor& samples, const SampleFn& record,
                    const ProgressCallback& progress) {
  const double t0 = span.t0_h, t1 = span.t1_h;
  // Inputs that take part: those starting in [t0, t1], and when chained also the zero-order
  // ones still running at t0.
  const auto takes_part = [&](const PhaseInput& in) {
    if (in.start_h > t1) return false;
    if (in.start_h >= t0) return true;
    return span.chained && in.duration_h > 0.0 && in.start_h + in.duration_h > t0;
  };
  breakpoints_.clear();
  breakpoints_.push_back(t0);
  breakpoints_.push_back(t1);
  for (const StateEvent& ev : events)
    if (ev.time_h >= t0 && ev.time_h <= t1) breakpoints_.push_back(ev.time_h);
  for (const PhaseInput& in : inputs) {
    if (!takes_part(in)) continue;
    if (in.start_h >= t0) breakpoints_.push_back(in.start_h);
    const double end = in.start_h + in.duration_h;
    if (in.duration_h > 0.0 && end > t0 && end < t1) breakpoints_.push_back(end);
  }
  std::sort(breakpoints_.begin(), breakpoints_.end());
  breakpoints_.erase(std::unique(breakpoints_.begin(), breakpoints_.end()), breakpoints_.end());

  if (u_.size() != x.size()) u_.resize(x.size());
  const SegmentSystem sys{&model, &u_};
  for (std::size_t b = 0; b < breakpoints_.size(); ++b) {
    const double a = breakpoints_[b];
    const bool last = b + 1 == breakpoints_.size();
    const bool apply_here = !last || !span.chained;
    bool restart = b == 0;
    if (apply_here)
      for (std::size_t e = 0; e < events.size(); ++e)
        if (events[e].time_h == a) {
          apply_state_event(model, events[e], event_states[e], x);
          restart = true;
        }
    u_.setZero();
    for (const PhaseInput& in : inputs) {
      if (!takes_part(in)) continue;
      if (in.duration_h > 0.0) {
        if (in.start_h <= a && a < in.start_h + in.duration_h) add_input_rate(model, in, u_);
      } else if (in.start_h == a && apply_here) {
        for (const InputTarget& t : model.input_targets(in.formulation, in.phase))
          x[t.state] += t.factor * in.amount_nmol;
        restart = true;
      }
    }
    while (!samples.done() && samples.peek() <= a) {
      record(samples.peek(), x);
      ++samples.next;
    }
    if (last) break;
    if (progress && !progress(a, t1))
      throw SolverError("interrupted at t = " + std::to_string(a) + " h");
    if (restart) integrator.restart_step(initial_step_h);
    integrator.integrate(sys, x, a, breakpoints_[b + 1], samples, record);
  }
}

}  // namespace morsim
