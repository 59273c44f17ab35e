// Residuals from simulations, and the finite-difference Jacobian on a few threads.
#include "fit/objective.hpp"

#include <algorithm>
#include <cmath>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>

#include "fit/observables.hpp"
#include "model/errors.hpp"
#include "solver/simulate.hpp"
#include "units/units.hpp"

namespace morsim::fit {

namespace {

// f(0), ..., f(n - 1) on up to `threads` threads; the first exception is rethrown.
void parallel_for(std::size_t n, unsigned threads, const std::function<void(std::size_t)>& f) {
  if (threads <= 1 || n <= 1) {
    for (std::size_t i = 0; i < n; ++i) f(i);
    return;
  }
  std::atomic<std::size_t> next{0};
  std::exception_ptr error;
  std::mutex mu;
  const auto work = [&] {
    for (;;) {
      const std::size_t i = next.fetch_add(1);
      if (i >= n) return;
      try {
        f(i);
      } catch (...) {
        const std::lock_guard<std::mutex> lock(mu);
        if (!error) error = std::current_exception();
      }
    }
  };
  std::vector<std::thread> pool;
  const std::size_t extra = std::min<std::size_t>(threads, n) - 1;
  for (std::size_t t = 0; t < extra; ++t) pool.emplace_back(work);
  work();
  for (std::thread& t : pool) t.join();
  if (error) std::rethrow_exception(error);
}

// Failures of one evaluation that the optimiser can step back from.
struct EvaluationFailure : std::runtime_error {
  using std::runtime_error::runtime_error;
};

}  // namespace

Objective::Objective(const FitSpec& spec, unsigned threads) : spec_(&spec) {
  threads_ = threads > 0 ? threads : std::max(1u, std::thread::hardware_concurrency());
  for (const Dataset& d : spec.datasets) n_residuals_ += d.rows.size();
  for (const FitParameter& p : spec.parameters) {
    double s = std::abs(p.initial);
    if (!(s > 0))
      s = std::max(std::isfinite(p.lower) ? std::abs(p.lower) : 0.0,
                   std::isfinite(p.upper) ? std::abs(p.upper) : 0.0);
    linear_scale_.push_back(s > 0 ? s : 1.0);
  }
  for (const Dataset& d : spec.datasets) {
    std::vector<std::vector<double>> ev(d.base.arms.size()), tm(d.base.arms.size());
    for (std::size_t a : d.arms) {
      ev[a] = event_times(d.base, a);
      tm[a] = observation_times(d, a, ev[a]);
    }
    events_.push_back(std::move(ev));
    times_.push_back(std::move(tm));
  }
}

double Objective::to_x(std::size_t i, double value) const {
  return spec_->parameters[i].scale == Scale::kLog ? std::log(value) : value / linear_scale_[i];
}

double Objective::to_value(std::size_t i, double x) const {
  const FitParameter& p = spec_->parameters[i];
  const double v = p.scale == Scale::kLog ? std::exp(x) : x * linear_scale_[i];
  return std::clamp(v, p.lower, p.upper);  // rounding in the transform never leaves the bounds
}

std::vector<double> Objective::to_values(const std::vector<double>& x) const {
  std::vector<double> v(x.size());
  for (std::size_t i = 0; i < x.size(); ++i) v[i] = to_value(i, x[i]);
  return v;
}

std::vector<double> Objective::initial_x() const {
  std::vector<double> x;
  for (std::size_t i = 0; i < n_parameters(); ++i)
    x.push_back(to_x(i, spec_->parameters[i].initial));
  return x;
}

std::vector<double> Objective::lower_x() const {
  std::vector<double> x;
  for (std::size_t i = 0; i < n_parameters(); ++i) {
    const FitParameter& p = spec_->parameters[i];
    x.push_back(std::isfinite(p.lower) && !(p.scale == Scale::kLog && p.lower <= 0)
                    ? to_x(i, p.lower)
                    : -kInf);
  }
  return x;
}

std::vector<double> Objective::upper_x() const {
  std::vector<double> x;
  for (std::size_t i = 0; i < n_parameters(); ++i) {
    const FitParameter& p = spec_->parameters[i];
    x.push_back(std::isfinite(p.upper) ? to_x(i, p.upper) : kInf);
  }
  return x;
}

std::vector<std::string> Objective::overrides(const Dataset& d,
                                              const std::vector<double>* values) const {
  std::vector<std::string> o = d.set;
  if (values)
    for (std::size_t i = 0; i < n_parameters(); ++i)
      if (d.uses_parameter[i]) o.push_back(spec_->parameters[i].override_text((*values)[i]));
  return o;
}

namespace {

// The scenario for one evaluation: the fit's tolerances (tighter if the scenario's are).
ScenarioSpec load_for_fit(const Dataset& d, const std::vector<std::string>& overrides, double rtol,
                          double tighten) {
  ScenarioSpec s;
  try {
    s = d.scenario.load(overrides);
  } catch (const ConfigError& e) {
    throw EvaluationFailure("dataset '" + d.name +
                            "': the model rejects the values: " + std::string(e.what()));
  } catch (const ModelError& e) {
    throw EvaluationFailure("dataset '" + d.name + "': invalid model: " + std::string(e.what()));
  }
  s.solver.rtol = std::min(s.solver.rtol, rtol) / tighten;
  s.solver.atol = std::min(s.solver.atol, 1e-2 * rtol) / tighten;
  s.solver.atol_occupancy = 0.0;  // a fraction of receptors is too coarse for differences
  return s;
}

}  // namespace

std::vector<double> Objective::dataset_values(std::size_t di, const std::vector<double>* values,
                                              double tighten) const {
  const Dataset& d = spec_->datasets[di];
  const ScenarioSpec s = load_for_fit(d, overrides(d, values), spec_->rtol, tighten);
  std::vector<Trajectory> runs(d.base.arms.size());
  std::vector<const Trajectory*> by_arm(d.base.arms.size(), nullptr);
  for (std::size_t a : d.arms) {
    try {
      runs[a] = simulate_arm(s, s.arms[a], times_[di][a]);
    } catch (const SolverError& e) {
      throw EvaluationFailure("dataset '" + d.name + "', arm '" + s.arms[a].name +
                              "': " + e.what());
    }
    simulations_.fetch_add(1);
    by_arm[a] = &runs[a];
  }
  std::vector<double> m = model_values(d, by_arm, events_[di]);
  for (std::size_t j = 0; j < m.size(); ++j)
    if (!std::isfinite(m[j]))
      throw EvaluationFailure("dataset '" + d.name + "' (" + d.csv_path + ":" +
                              std::to_string(d.rows[j].line) + "): the model has no " +
                              to_string(d.statistic) + " of the " + to_string(d.quantity) +
                              " here (e.g. it never falls to half its peak in the window)");
  return m;
}

void Objective::residuals(ModelPoint& p) const {
  p.residuals.clear();
  if (!p.ok) return;
  for (std::size_t di = 0; di < spec_->datasets.size(); ++di) {
    const Dataset& d = spec_->datasets[di];
    for (std::size_t j = 0; j < d.rows.size(); ++j) {
      const Observation& o = d.rows[j];
      const double m = p.model[di][j];
      if (d.log) {
        const double lm = std::log(std::max(m, 1e-300));
        p.residuals.push_back((lm - std::log(o.value)) / (o.sigma / o.value));
      } else {
        p.residuals.push_back((m - o.value) / o.sigma);
      }
    }
  }
}

void Objective::run_tasks(const std::vector<Task>& tasks,
                          const std::vector<std::vector<double>>& values, double tighten,
                          std::vector<ModelPoint>& points) const {
  std::mutex mu;
  parallel_for(tasks.size(), threads_, [&](std::size_t k) {
    const Task& t = tasks[k];
    ModelPoint& p = points[t.point];
    try {
      std::vector<double> m =
          dataset_values(t.dataset, values.empty() ? nullptr : &values[t.point], tighten);
      const std::lock_guard<std::mutex> lock(mu);
      p.model[t.dataset] = std::move(m);
    } catch (const EvaluationFailure& e) {
      const std::lock_guard<std::mutex> lock(mu);
      if (p.ok) p.failure = e.what();
      p.ok = false;
    }
  });
}

ModelPoint Objective::evaluate_values(const std::vector<double>* values, double tighten) const {
  std::vector<ModelPoint> points(1);
  points[0].model.resize(spec_->datasets.size());
  std::vector<Task> tasks;
  for (std::size_t d = 0; d < spec_->datasets.size(); ++d) tasks.push_back({0, d});
  std::vector<std::vector<double>> v;
  if (values) v.push_back(*values);
  run_tasks(tasks, v, tighten, points);
  residuals(points[0]);
  return std::move(points[0]);
}

ModelPoint Objective::evaluate(const std::vector<double>& x, double tighten) const {
  const std::vector<double> v = to_values(x);
  return evaluate_values(&v, tighten);
}

bool Objective::jacobian(const std::vector<double>& x, double step, double tighten,
                         ModelPoint& center, std::vector<double>& jac) const {
  const std::size_t np = n_parameters(), nd = spec_->datasets.size();
  const std::vector<double> lo = lower_x(), hi = upper_x();
  // Two points per parameter: x + a e_i and x + b e_i; derivative weights for f0, fa, fb.
  struct Stencil {
    double a = 0, b = 0, w0 = 0, wa = 0, wb = 0;
  };
  std::vector<Stencil> st(np);
  for (std::size_t i = 0; i < np; ++i) {
    const double room_lo = x[i] - lo[i], room_hi = hi[i] - x[i];
    const double near = std::min(room_lo, room_hi);
    Stencil& s = st[i];
    if (near >= 0.1 * step) {  // central, shrunk to the room there is
      const double h = std::min(step, near);
      s.a = h, s.b = -h, s.w0 = 0, s.wa = 1 / (2 * h), s.wb = -1 / (2 * h);
    } else {  // second-order one-sided, into the larger room
      const double dir = room_hi >= room_lo ? 1.0 : -1.0;
      const double h = std::min(step, 0.5 * std::max(room_lo, room_hi));
      s.a = dir * h, s.b = dir * 2 * h;
      s.w0 = -3 / (2 * dir * h), s.wa = 4 / (2 * dir * h), s.wb = -1 / (2 * dir * h);
    }
  }
  const bool have_center =
      center.ok && center.residuals.size() == n_residuals_ && center.model.size() == nd;
  std::vector<std::vector<double>> values(1 + 2 * np, to_values(x));
  for (std::size_t i = 0; i < np; ++i) {
    values[1 + 2 * i][i] = to_value(i, x[i] + st[i].a);
    values[2 + 2 * i][i] = to_value(i, x[i] + st[i].b);
  }
  std::vector<ModelPoint> points(1 + 2 * np);
  for (ModelPoint& p : points) p.model.resize(nd);
  if (have_center) points[0] = center;
  std::vector<Task> tasks;
  for (std::size_t d = 0; d < nd; ++d) {
    if (!have_center) tasks.push_back({0, d});
    for (std::size_t i = 0; i < np; ++i)
      if (spec_->datasets[d].uses_parameter[i]) {
        tasks.push_back({1 + 2 * i, d});
        tasks.push_back({2 + 2 * i, d});
      }
  }
  run_tasks(tasks, values, tighten, points);
  for (std::size_t k = 0; k < points.size(); ++k)
    if (!points[k].ok) {
      center.ok = false;
      center.failure = points[k].failure;
      return false;
    }
  // Datasets a parameter does not touch keep the center's values.
  for (std::size_t i = 0; i < np; ++i)
    for (std::size_t d = 0; d < nd; ++d)
      if (!spec_->datasets[d].uses_parameter[i])
        points[1 + 2 * i].model[d] = points[2 + 2 * i].model[d] = points[0].model[d];
  for (ModelPoint& p : points) residuals(p);
  center = points[0];
  jac.assign(n_residuals_ * np, 0.0);
  for (std::size_t i = 0; i < np; ++i) {
    const Stencil& s = st[i];
    const std::vector<double>&f0 = points[0].residuals, &fa = points[1 + 2 * i].residuals,
          &fb = points[2 + 2 * i].residuals;
    for (std::size_t r = 0; r < n_residuals_; ++r)
      jac[r * np + i] = s.w0 * f0[r] + s.wa * fa[r] + s.wb * fb[r];
  }
  return true;
}

std::vector<ModelCurve> Objective::curves(const std::vector<double>* values) const {
  struct Job {
    std::size_t dataset, arm;
  };
  std::vector<Job> jobs;
  for (std::size_t d = 0; d < spec_->datasets.size(); ++d)
    for (std::size_t a : spec_->datasets[d].arms) jobs.push_back({d, a});
  std::vector<ModelCurve> out(jobs.size());
  parallel_for(jobs.size(), threads_, [&](std::size_t k) {
    const Dataset& d = spec_->datasets[jobs[k].dataset];
    const std::size_t a = jobs[k].arm;
    const ScenarioSpec s = load_for_fit(d, overrides(d, values), spec_->rtol, 1.0);
    const Trajectory tr =
        simulate_arm(s, s.arms[a], curve_times(d, a, events_[jobs[k].dataset][a]));
    simulations_.fetch_add(1);
    ModelCurve& c = out[k];
    c.dataset = jobs[k].dataset;
    c.arm = s.arms[a].name;
    c.t_h = tr.t_h;
    c.y = quantity_series(d, tr);
    if (d.statistic == Statistic::kValue || d.statistic == Statistic::kPeak) {
      for (double& y : c.y) y /= d.value_scale;
      c.unit = d.value_unit;
    } else if (d.statistic == Statistic::kRelative) {
      const double ref = value_at(c.t_h, c.y, d.reference_time_h);
      for (double& y : c.y) y = ref > 0 ? y / ref / d.value_scale : kNaN;
      c.unit = d.value_unit;
    } else {
      c.unit = d.quantity == Quantity::kPlasma ? "nM" : "1";
    }
  });
  return out;
}

}  // namespace morsim::fit
