// One arm of a scenario: its schedule through the event loop, steady states, recording.
#include "solver/arm_simulator.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <limits>

#include "model/errors.hpp"
#include "solver/dense_record.hpp"
#include "solver/recorded_arm.hpp"
#include "solver/sample_grid.hpp"

namespace morsim {

namespace {
std::atomic<long> arm_simulations{0};
}  // namespace

long ArmSimulator::simulations_started() { return arm_simulations.load(); }

ArmSimulator::ArmSimulator(const ScenarioSpec& spec, const CompileOptions& options)
    : spec_(&spec),
      model_(std::make_shared<const CompiledModel>(spec, options)),
      integrator_(make_integrator(spec.solver, model_->absolute_tolerance(spec.solver), *model_)) {
  integrator_->set_state_names(model_->state_names());
}

void ArmSimulator::run(const std::vector<PhaseInput>& inputs, Eigen::VectorXd& x, double t0,
                       double t_end, SampleCursor& samples, const SampleFn& record,
                       const ProgressCallback& progress) {
  static const std::vector<StateEvent> no_events;
  static const std::vector<Eigen::VectorXd> no_states;
  run(inputs, no_events, no_states, x, t0, t_end, samples, record, progress);
}

void ArmSimulator::run(const std::vector<PhaseInput>& inputs, const std::vector<StateEvent>& events,
                       const std::vector<Eigen::VectorXd>& event_states, Eigen::VectorXd& x,
                       double t0, double t_end, SampleCursor& samples, const SampleFn& record,
                       const ProgressCallback& progress) {
  loop_.run(*model_, *integrator_, spec_->solver.initial_step_h, inputs, events, event_states, x,
            EventSpan{t0, t_end, false}, samples, record, progress);
}

Eigen::VectorXd ArmSimulator::initial_state(const ExpandedSchedule& schedule) {
  if (schedule.steady_state.empty())
    return Eigen::VectorXd::Zero(static_cast<Eigen::Index>(model_->size()));
  return steady_state(schedule.steady_state, schedule.ss_ii_h);
}

Eigen::VectorXd ArmSimulator::steady_state(const std::vector<SteadyStateDose>& regimen,
                                           double ii_h) {
  if (!(ii_h > 0.0)) return constant_infusion_steady_state(regimen);
  Eigen::VectorXd x = Eigen::VectorXd::Zero(static_cast<Eigen::Index>(model_->size()));
  // Periodic steady state by repeated periods: the PK converges geometrically with the slowest
  // rate; the binding follows it. Converged when a period changes no state by more than
  // rtol-scaled tolerance. One period holds every input that falls in [0, ii) at steady state,
  // from this dose and the earlier ones still in progress (overlapping infusions, long lags).
  std::vector<PhaseInput> period;
  append_regimen_inputs(*spec_, regimen, ii_h, 0.0, 0.0, ii_h, 0, period);
  std::stable_sort(period.begin(), period.end(),
                   [](const PhaseInput& a, const PhaseInput& b) { return a.start_h < b.start_h; });
  const std::vector<double> no_samples;
  SampleCursor cursor{&no_samples, 0};
  const SampleFn ignore = [](double, const Eigen::VectorXd&) {};
  constexpr int kMaxPeriods = 100000;
  const double tol = std::max(spec_->solver.rtol, 1e-10);
  for (int k = 0; k < kMaxPeriods; ++k) {
    Eigen::VectorXd prev = x;
    run(period, x, 0.0, ii_h, cursor, ignore);
    double change = 0.0;
    for (Eigen::Index i = 0; i < x.size(); ++i)
      if (i != model_->eliminated_state())
        change = std::max(change,
                          std::abs(x[i] - prev[i]) / (spec_->solver.atol + tol * std::abs(x[i])));
    if (change <= 1.0) return x;
  }
  throw SolverError("steady state not reached within " + std::to_string(kMaxPeriods) + " periods");
}

Eigen::VectorXd ArmSimulator::constant_infusion_steady_state(
    const std::vector<SteadyStateDose>& regimen) {
  // dx/dt = A x + u + binding(x) = 0. The PK and brain part is linear (exact in one Newton
  // step); the binding of kinetic occupancy is linear in the occupancies once the brain
  // concentrations are known, so a few steps converge to rounding.
  const auto n = static_cast<Eigen::Index>(model_->size());
  Eigen::VectorXd u = Eigen::VectorXd::Zero(n), x = Eigen::VectorXd::Zero(n), f(n);
  for (const SteadyStateDose& d : regimen) {
    const Formulation& fo = spec_->formulations[d.formulation];
    for (std::size_t p = 0; p < fo.phases.size(); ++p) {
      PhaseInput in;
      in.formulation = d.formulation;
      in.phase = p;
      in.duration_h = std::numeric_limits<double>::infinity();
      in.rate_nmol_per_h = d.rate_nmol_per_h * fo.phases[p].fraction;
      if (in.rate_nmol_per_h > 0.0) add_input_rate(*model_, in, u);
    }
  }
  const int eliminated = model_->eliminated_state();  // grows without end: held at zero
  const double tol = std::max(spec_->solver.rtol, 1e-10);
  Eigen::MatrixXd jac(n, n);
  constexpr int kMaxNewton = 50;
  for (int it = 0; it < kMaxNewton; ++it) {
    model_->rhs(x, u, f);
    model_->jacobian(x, jac);
    if (eliminated >= 0) {
      jac.row(eliminated).setZero();
      jac(eliminated, eliminated) = 1.0;
      f[eliminated] = 0.0;
    }
    const Eigen::VectorXd dx = jac.fullPivLu().solve(-f);
    if (!dx.allFinite()) break;
    x += dx;
    double change = 0.0;
    for (Eigen::Index i = 0; i < n; ++i)
      change = std::max(change, std::abs(dx[i]) / (spec_->solver.atol + tol * std::abs(x[i])));
    if (change <= 1e-3) return x;
  }
  throw SolverError("steady state of a constant infusion not found (Newton's method diverged)");
}

Trajectory ArmSimulator::simulate(const Arm& arm, const std::vector<double>& sample_t_h,
                                  const ProgressCallback& progress,
                                  const SimulateOptions& options) {
  ++arm_simulations;
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
  std::vector<Eigen::VectorXd> event_states(schedule.events.size());
  for (std::size_t e = 0; e < schedule.events.size(); ++e)
    if (schedule.events[e].kind != StateEvent::Kind::kReset)
      event_states[e] = steady_state(schedule.events[e].regimen, schedule.events[e].ii_h);
  integrator_->reset_stats();
  SampleCursor cursor{&sample_t_h, 0};
  const SampleFn record = [&](double t, const Eigen::VectorXd& s) {
    const std::size_t i = tr.t_h.size();
    tr.t_h.push_back(t);
    model_->observe(s, &tr.plasma_nM[i * nk], &tr.brain_nM[i * nk], &tr.occupancy[i * nk],
                    tr.free_receptor[i], tr.effect[i]);
  };
  // From time 0 whatever the output window: doses before [output] start are taken, and the
  // window only chooses which samples are written.
  const double t0 = sample_t_h.empty() ? 0.0 : std::min(0.0, sample_t_h.front());
  const double t_end =
      sample_t_h.empty() ? spec_->grid.t_end_h : std::max(spec_->grid.t_end_h, sample_t_h.back());
  // Only this run is recorded: the steady states above are pre-runs from zero.
  const bool keep = options.keep_dense_output && integrator_->observes_steps();
  DenseRecord dense(x.size());
  if (keep) integrator_->set_step_observer(&dense);
  try {
    run(schedule.inputs, schedule.events, event_states, x, t0, t_end, cursor, record, progress);
  } catch (...) {
    integrator_->set_step_observer(nullptr);
    throw;
  }
  integrator_->set_step_observer(nullptr);
  tr.stats = integrator_->stats();
  tr.stats.method = integrator_->method();
  if (keep && !dense.empty()) {
    dense.set_end(t_end, x);  // after a dose at t_end, which no step carries
    tr.dense = std::make_shared<const RecordedArm>(model_, std::move(dense), tr);
  }
  return tr;
}

Trajectory simulate_arm(const ScenarioSpec& spec, const Arm& arm,
                        const std::vector<double>& sample_t_h, const ProgressCallback& progress,
                        const SimulateOptions& options) {
  ArmSimulator sim(spec);
  return sim.simulate(arm, sample_t_h, progress, options);
}

std::vector<Trajectory> simulate(const ScenarioSpec& spec, const ProgressCallback& progress,
                                 const SimulateOptions& options) {
  ArmSimulator sim(spec);
  std::vector<Trajectory> out;
  for (const Arm& arm : spec.arms)
    out.push_back(sim.simulate(arm, arm_sample_times(spec, arm), progress, options));
  return out;
}

}  // namespace morsim
