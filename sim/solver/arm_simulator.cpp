// Event handling: integration restarts exactly at every dose, lag end and infusion end.
#include "solver/arm_simulator.hpp"

#include <algorithm>
#include <cmath>

#include "model/errors.hpp"
#include "solver/sample_grid.hpp"

namespace morsim {

ArmSimulator::ArmSimulator(const ScenarioSpec& spec, const CompileOptions& options)
    : spec_(&spec),
      model_(spec, options),
      integrator_(make_integrator(spec.solver, model_.absolute_tolerance(spec.solver))),
      u_(Eigen::VectorXd::Zero(static_cast<Eigen::Index>(model_.size()))) {
  integrator_->set_state_names(model_.state_names());
}

void ArmSimulator::apply_bolus(const PhaseInput& in, Eigen::VectorXd& x) const {
  for (const InputTarget& t : model_.input_targets(in.formulation, in.phase))
    x[t.state] += t.factor * in.amount_nmol;
}

void ArmSimulator::add_rate(const PhaseInput& in, Eigen::VectorXd& u) const {
  const double rate = in.amount_nmol / in.duration_h;
  for (const InputTarget& t : model_.input_targets(in.formulation, in.phase))
    u[t.state] += t.factor * rate;
}

void ArmSimulator::run(const std::vector<PhaseInput>& inputs, Eigen::VectorXd& x, double t0,
                       double t_end, SampleCursor& samples, const SampleFn& record,
                       const ProgressCallback& progress) {
  // Breakpoints: start, end, each input start and each zero-order input end.
  breakpoints_.clear();
  breakpoints_.push_back(t0);
  breakpoints_.push_back(t_end);
  for (const PhaseInput& in : inputs) {
    if (in.start_h < t0 || in.start_h > t_end) continue;
    breakpoints_.push_back(in.start_h);
    if (in.duration_h > 0.0 && in.start_h + in.duration_h < t_end)
      breakpoints_.push_back(in.start_h + in.duration_h);
  }
  std::sort(breakpoints_.begin(), breakpoints_.end());
  breakpoints_.erase(std::unique(breakpoints_.begin(), breakpoints_.end()), breakpoints_.end());

  const SegmentSystem sys{&model_, &u_};
  for (std::size_t b = 0; b < breakpoints_.size(); ++b) {
    const double a = breakpoints_[b];
    bool bolus = false;
    u_.setZero();
    for (const PhaseInput& in : inputs) {
      if (in.start_h < t0 || in.start_h > t_end) continue;
      if (in.duration_h > 0.0) {
        if (in.start_h <= a && a < in.start_h + in.duration_h) add_rate(in, u_);
      } else if (in.start_h == a) {
        apply_bolus(in, x);
        bolus = true;
      }
    }
    // Samples at a dose time record the state just after the dose.
    while (!samples.done() && samples.peek() <= a) {
      record(samples.peek(), x);
      ++samples.next;
    }
    if (b + 1 == breakpoints_.size()) break;
    if (progress && !progress(a, t_end))
      throw SolverError("interrupted at t = " + std::to_string(a) + " h");
    if (bolus || b == 0) integrator_->restart_step(spec_->solver.initial_step_h);
    integrator_->integrate(sys, x, a, breakpoints_[b + 1], samples, record);
  }
}

Eigen::VectorXd ArmSimulator::initial_state(const ExpandedSchedule& schedule) {
  Eigen::VectorXd x = Eigen::VectorXd::Zero(static_cast<Eigen::Index>(model_.size()));
  if (schedule.steady_state.empty()) return x;
  // Periodic steady state by repeated periods: the PK converges geometrically with the slowest
  // rate; the binding follows it. Converged when a period changes no state by more than
  // rtol-scaled tolerance.
  std::vector<PhaseInput> period;
  for (const SteadyStateDose& d : schedule.steady_state)
    append_phase_inputs(*spec_, d.formulation, d.amount_nmol, 0.0, d.duration_h, period);
  const std::vector<double> no_samples;
  SampleCursor cursor{&no_samples, 0};
  const SampleFn ignore = [](double, const Eigen::VectorXd&) {};
  constexpr int kMaxPeriods = 100000;
  const double tol = std::max(spec_->solver.rtol, 1e-10);
  for (int k = 0; k < kMaxPeriods; ++k) {
    Eigen::VectorXd prev = x;
    run(period, x, 0.0, schedule.ss_ii_h, cursor, ignore);
    double change = 0.0;
    for (Eigen::Index i = 0; i < x.size(); ++i)
      change =
          std::max(change, std::abs(x[i] - prev[i]) / (spec_->solver.atol + tol * std::abs(x[i])));
    if (change <= 1.0) return x;
  }
  throw SolverError("steady state not reached within " + std::to_string(kMaxPeriods) + " periods");
}

Trajectory ArmSimulator::simulate(const Arm& arm, const std::vector<double>& sample_t_h,
                                  const ProgressCallback& progress) {
  const ExpandedSchedule schedule = expand_schedule(*spec_, arm);
  Trajectory tr;
  tr.arm = arm.name;
  tr.doses = schedule.log;
  const std::size_t nk = spec_->compounds.size();
  for (const Compound& c : spec_->compounds) {
    tr.compounds.push_back(c.name);
    tr.is_agonist.push_back(c.is_agonist());
    tr.binds_receptor.push_back(c.binds_receptor);
  }
  const std::size_t nt = sample_t_h.size();
  tr.t_h.reserve(nt);
  tr.plasma_nM.resize(nt * nk);
  tr.brain_nM.resize(nt * nk);
  tr.occupancy.resize(nt * nk);
  tr.free_receptor.resize(nt);
  tr.effect.resize(nt);
  tr.effect_modelled = spec_->receptor.operational_effect;

  integrator_->reset_stats();
  Eigen::VectorXd x = initial_state(schedule);
  integrator_->reset_stats();
  SampleCursor cursor{&sample_t_h, 0};
  const SampleFn record = [&](double t, const Eigen::VectorXd& s) {
    const std::size_t i = tr.t_h.size();
    tr.t_h.push_back(t);
    model_.observe(s, &tr.plasma_nM[i * nk], &tr.brain_nM[i * nk], &tr.occupancy[i * nk],
                   tr.free_receptor[i], tr.effect[i]);
  };
  // From time 0 whatever the output window: doses before [output] start are taken, and the
  // window only chooses which samples are written.
  const double t0 = sample_t_h.empty() ? 0.0 : std::min(0.0, sample_t_h.front());
  const double t_end =
      sample_t_h.empty() ? spec_->grid.t_end_h : std::max(spec_->grid.t_end_h, sample_t_h.back());
  run(schedule.inputs, x, t0, t_end, cursor, record, progress);
  tr.stats = integrator_->stats();
  return tr;
}

Trajectory simulate_arm(const ScenarioSpec& spec, const Arm& arm,
                        const std::vector<double>& sample_t_h, const ProgressCallback& progress) {
  ArmSimulator sim(spec);
  return sim.simulate(arm, sample_t_h, progress);
}

std::vector<Trajectory> simulate(const ScenarioSpec& spec, const ProgressCallback& progress) {
  ArmSimulator sim(spec);
  std::vector<Trajectory> out;
  for (const Arm& arm : spec.arms)
    out.push_back(sim.simulate(arm, arm_sample_times(spec, arm), progress));
  return out;
}

}  // namespace morsim
