// Prefix caching, challenge runs and the metrics of one scenario.
#include "sweep/evaluator.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "analysis/metrics.hpp"
#include "model/errors.hpp"
#include "model/metabolite_graph.hpp"
#include "pk/dose_schedule.hpp"

namespace morsim::sweep {

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr std::size_t kMaxCachedBases = 8;
}  // namespace

struct Evaluator::Base {
  ScenarioSpec spec;
  std::unique_ptr<CompiledModel> model;
  std::unique_ptr<Integrator> integrator;
  EventLoop loop;  // chained spans: a prefix to a challenge time continues from it
  std::vector<PhaseInput> inputs[2];  // [0] the arm's doses, [1] control: agonist doses only
  std::map<double, Eigen::VectorXd> prefix[2];
  Eigen::VectorXd one_off;  // a prefix at a time outside the shared stops (not cached)
  std::map<const Metric*, double> coverage;
  std::vector<PhaseInput> work;  // inputs + the challenge
  std::vector<bool> agonist, antagonist;
};

Evaluator::Evaluator(const SweepSpec& sweep) : sw_(sweep) {
  key_.reserve(sw_.parameters.size());
  if (sw_.challenge.present) {
    // The stops every prefix is integrated through: the challenge times of the design when
    // they are a finite list, so the cached prefix does not depend on which scenarios a
    // worker happens to see.
    stops_ = {sw_.challenge.time_h};
    for (const SweepParameter& p : sw_.parameters) {
      if (p.target.path() != "challenge.time") continue;
      const bool finite =
          p.axis.kind == Axis::Kind::kValues ||
          (p.axis.kind == Axis::Kind::kRange && sw_.design->kind() == DesignKind::kGrid);
      stops_ = finite ? p.axis.values : std::vector<double>{};
    }
    std::sort(stops_.begin(), stops_.end());
    stops_.erase(std::unique(stops_.begin(), stops_.end()), stops_.end());
    // Fine samples while the peak builds, coarse ones to the end of the window.
    const auto n_fine = static_cast<long>(std::floor(sw_.peak_span_h / sw_.peak_step_h + 1e-9));
    for (long i = 0; i <= n_fine; ++i) {
      const double t = static_cast<double>(i) * sw_.peak_step_h;
      if (t <= sw_.window_h) offsets_.push_back(t);
    }
    for (double t = offsets_.back() + sw_.step_h; t < sw_.window_h - 1e-9; t += sw_.step_h)
      offsets_.push_back(t);
    if (offsets_.back() < sw_.window_h) offsets_.push_back(sw_.window_h);
  }
  const std::size_t nk = sw_.base.compounds.size();
  plasma_.resize(nk);
  brain_.resize(nk);
  occ_.resize(nk);
}

Evaluator::~Evaluator() = default;

SolverStats Evaluator::stats() const { return total_; }

void Evaluator::harvest(Base& b) {
  const SolverStats& i = b.integrator->stats();
  total_.steps += i.steps;
  total_.rejected_steps += i.rejected_steps;
  total_.rhs_evaluations += i.rhs_evaluations;
  total_.jacobian_evaluations += i.jacobian_evaluations;
  total_.segments += i.segments;
  b.integrator->reset_stats();
}

Evaluator::Base& Evaluator::base_for(const std::vector<double>& key,
                                     const std::vector<double>& params) {
  auto it = cache_.find(key);
  if (it != cache_.end()) return *it->second;
  if (cache_.size() >= kMaxCachedBases) cache_.clear();  // bounded; results do not depend on it
  auto b = std::make_unique<Base>();
  b->spec = sw_.base;
  ChallengeDose ignored;
  // In the order --set gives the same result in (volumes first): see SettablePath.
  for (int order = 0; order < SettablePath::kApplyOrders; ++order)
    for (std::size_t j = 0; j < sw_.parameters.size(); ++j)
      if (!sw_.parameters[j].target.is_challenge() &&
          sw_.parameters[j].target.apply_order() == order)
        sw_.parameters[j].target.apply(b->spec, ignored, params[j]);
  validate(b->spec);
  b->model = std::make_unique<CompiledModel>(b->spec);
  b->integrator =
      make_integrator(b->spec.solver, b->model->absolute_tolerance(b->spec.solver), *b->model);
  b->integrator->set_state_names(b->model->state_names());  // failures name states, not x[i]
  const Arm& arm = b->spec.arms[sw_.arm];
  const ExpandedSchedule sched = expand_schedule(b->spec, arm);
  // The sweep's event loop knows doses only: resets and steady states would be ignored.
  require_inputs_only(arm, "sweeps");
  b->inputs[0] = sched.inputs;
  Arm control = arm;
  control.doses.clear();
  for (const DoseRecord& d : arm.doses) {
    const Formulation* f = b->spec.find_formulation(d.formulation);
    if (f && produces_agonist(b->spec, f->compound)) control.doses.push_back(d);
  }
  b->inputs[1] = expand_schedule(b->spec, control).inputs;
  for (const Compound& c : b->spec.compounds) {
    b->agonist.push_back(c.is_agonist());
    b->antagonist.push_back(c.binds_receptor && !c.is_agonist());
  }
  Base& ref = *b;
  cache_.emplace(key, std::move(b));
  return ref;
}

const Eigen::VectorXd& Evaluator::prefix_at(Base& b, bool control, double t_c) {
  auto& cache = b.prefix[control ? 1 : 0];
  auto it = cache.find(t_c);
  if (it != cache.end()) return it->second;
  const std::vector<double> none;
  SampleCursor cursor{&none, 0};
  const SampleFn ignore = [](double, const Eigen::VectorXd&) {};
  Eigen::VectorXd x = Eigen::VectorXd::Zero(static_cast<Eigen::Index>(b.model->size()));
  const double h0 = b.spec.solver.initial_step_h;
  const bool shared = std::binary_search(stops_.begin(), stops_.end(), t_c);
  if (!shared) {
    b.loop.run(*b.model, *b.integrator, h0, b.inputs[control], x, EventSpan{0.0, t_c, true}, cursor,
               ignore);
    b.one_off = x;
    return b.one_off;
  }
  // One pass through every shared stop, caching the state at each.
  double t = 0.0;
  for (double s : stops_) {
    b.loop.run(*b.model, *b.integrator, h0, b.inputs[control], x, EventSpan{t, s, true}, cursor,
               ignore);
    cache.emplace(s, x);
    t = s;
  }
  return cache.at(t_c);
}

void Evaluator::run_challenge(Base& b, bool control, double t_c, double amount_mg, double span_h) {
  Eigen::VectorXd x = prefix_at(b, control, t_c);
  b.work = b.inputs[control];
  const Formulation& f = b.spec.formulations[sw_.challenge.formulation];
  append_phase_inputs(b.spec, sw_.challenge.formulation, dose_nmol(b.spec, f, amount_mg), t_c, -1.0,
                      b.work);
  std::vector<double> times;
  times.reserve(offsets_.size());
  for (double o : offsets_)
    if (o <= span_h) times.push_back(t_c + o);
  t_.clear();
  ag_.clear();
  antag_.clear();
  effect_.clear();
  SampleCursor cursor{&times, 0};
  const SampleFn record = [&](double t, const Eigen::VectorXd& s) {
    double free_r = 0.0, effect = 0.0;
    b.model->observe(s, plasma_.data(), brain_.data(), occ_.data(), free_r, effect);
    double a = 0.0, n = 0.0;
    for (std::size_t k = 0; k < occ_.size(); ++k) {
      if (b.agonist[k]) a += occ_[k];
      if (b.antagonist[k]) n += occ_[k];
    }
    t_.push_back(t);
    ag_.push_back(a);
    antag_.push_back(n);
    effect_.push_back(effect);
  };
  b.loop.run(*b.model, *b.integrator, b.spec.solver.initial_step_h, b.work, x,
             EventSpan{t_c, t_c + span_h, true}, cursor, record);
}

double Evaluator::coverage(Base& b, const Metric& m) {
  auto it = b.coverage.find(&m);
  if (it != b.coverage.end()) return it->second;
  std::vector<double> times;
  for (double t = m.from_h; t < m.to_h - 1e-9; t += sw_.step_h) times.push_back(t);
  times.push_back(m.to_h);
  std::vector<double> t_series, occ_series;
  const std::vector<double> none;
  SampleCursor skip{&none, 0};
  const SampleFn ignore = [](double, const Eigen::VectorXd&) {};
  SampleCursor cursor{&times, 0};
  const SampleFn record = [&](double t, const Eigen::VectorXd& s) {
    double free_r = 0.0, effect = 0.0;
    b.model->observe(s, plasma_.data(), brain_.data(), occ_.data(), free_r, effect);
    double n = 0.0;
    for (std::size_t k = 0; k < occ_.size(); ++k)
      if (b.antagonist[k]) n += occ_[k];
    t_series.push_back(t);
    occ_series.push_back(n);
  };
  Eigen::VectorXd x = Eigen::VectorXd::Zero(static_cast<Eigen::Index>(b.model->size()));
  const double h0 = b.spec.solver.initial_step_h;
  if (m.from_h > 0.0)
    b.loop.run(*b.model, *b.integrator, h0, b.inputs[0], x, EventSpan{0.0, m.from_h, true}, skip,
               ignore);
  // `to` + a hair so that a dose exactly at `to` is not part of the window's last sample.
  b.loop.run(*b.model, *b.integrator, h0, b.inputs[0], x, EventSpan{m.from_h, m.to_h, true}, cursor,
             record);
  const double v = series_time_above(t_series, occ_series, m.level);
  b.coverage.emplace(&m, v);
  return v;
}

void Evaluator::evaluate(std::uint64_t index, double* params, double* metrics, double* traj) {
  const std::size_t np = sw_.parameters.size();
  sw_.design->point(index, params);
  for (std::size_t i = 0; i < sw_.metrics.size(); ++i) metrics[i] = kNaN;
  const std::size_t nt = sw_.trajectory_points();
  for (std::size_t i = 0; i < 2 * nt; ++i) traj[i] = kNaN;
  key_.clear();
  ChallengeDose ch = sw_.challenge;
  ScenarioSpec unused;
  for (std::size_t j = 0; j < np; ++j) {
    if (sw_.parameters[j].target.is_challenge())
      sw_.parameters[j].target.apply(unused, ch, params[j]);
    else
      key_.push_back(params[j]);
  }
  Base& b = base_for(key_, std::vector<double>(params, params + np));
  harvest(b);
  struct Harvest {  // also when a metric throws
    Evaluator* ev;
    Base* b;
    ~Harvest() { ev->harvest(*b); }
  } harvest_at_end{this, &b};
  bool have_main = false;
  auto main_run = [&] {
    if (!have_main) run_challenge(b, false, ch.time_h, ch.amount_mg, sw_.window_h);
    have_main = true;
  };
  // 1 - peak / peak of the control run; `series` is ag_ or effect_, which the control refills.
  auto blockade = [&](const std::vector<double>& series) {
    main_run();
    const double peak = series_peak(series);
    run_challenge(b, true, ch.time_h, ch.amount_mg, sw_.window_h);
    have_main = false;
    return blockade_fraction(peak, series_peak(series));
  };
  for (std::size_t i = 0; i < sw_.metrics.size(); ++i) {
    const Metric& m = sw_.metrics[i];
    switch (m.kind) {
      case MetricKind::kPeakAgonist:
        main_run();
        metrics[i] = series_peak(ag_);
        break;
      case MetricKind::kAgonistAt:
        main_run();
        metrics[i] = series_value_at(t_, ag_, ch.time_h + m.after_h);
        break;
      case MetricKind::kTimeAbove:
        main_run();
        metrics[i] = series_time_above(t_, ag_, m.level);
        break;
      case MetricKind::kAgonistAuc:
        main_run();
        metrics[i] = series_auc(t_, ag_);
        break;
      case MetricKind::kCoverage:
        metrics[i] = coverage(b, m);
        break;
      case MetricKind::kBlockade:
        metrics[i] = blockade(ag_);
        break;
      case MetricKind::kPeakEffect:
        main_run();
        metrics[i] = series_peak(effect_);
        break;
      case MetricKind::kEffectBlockade:
        metrics[i] = blockade(effect_);
        break;
      case MetricKind::kSurmountDose: {
        const auto peak_for = [&](double dose) {
          run_challenge(b, false, ch.time_h, dose, sw_.peak_span_h);
          return series_peak(ag_);
        };
        have_main = false;
        metrics[i] = solve_dose_for_response(peak_for, m.level, m.lo_mg, m.hi_mg);
        break;
      }
    }
  }
  if (nt > 0) {
    main_run();
    for (std::size_t k = 0; k < nt; ++k) {
      const double t = ch.time_h + static_cast<double>(k) * sw_.trajectory_step_h;
      traj[2 * k] = series_value_at(t_, ag_, t);
      traj[2 * k + 1] = series_value_at(t_, antag_, t);
    }
  }
}

}  // namespace morsim::sweep
