#include <algorithm>
#include <cmath>

#include "lessons/kinds.hpp"
#include "model/dense_output.hpp"
#include "model/errors.hpp"
#include "solver/arm_simulator.hpp"

namespace morsim::lessons {

using lesson_text::fmt;

const Trajectory& arm_named(const std::vector<Trajectory>& arms, const std::string& name) {
  for (const Trajectory& t : arms)
    if (t.arm == name) return t;
  throw ModelError("lesson: no arm '" + name + "' in the run");
}

const Arm& scenario_arm(const ScenarioSpec& spec, const std::string& name) {
  for (const Arm& a : spec.arms)
    if (a.name == name) return a;
  throw ModelError("lesson: no arm '" + name + "' in the scenario");
}

namespace {

// The run table's unit, or a smaller one when t would read 0.0 in it.
TimeUnit unit_for(const ScenarioSpec& spec, double t_h) {
  TimeUnit u = time_unit_for_span(spec.grid.t_end_h - spec.grid.t_start_h);
  while (t_h != 0.0 && std::abs(t_h / u.hours) < 0.05 && u.hours > 1.0 / 60.0)
    u = u.hours > 1.0 ? time_unit_for_span(72.0) : time_unit_for_span(3.0);
  return u;
}

}  // namespace

std::string time_of(const ScenarioSpec& spec, double t_h) {
  if (std::isnan(t_h)) return "-";
  const TimeUnit u = unit_for(spec, t_h);
  const std::string n = u.name;
  if (n == "d") return fmt("day %.1f", t_h / u.hours);
  return fmt(n == "h" ? "%.1f h" : "%.1f min", t_h / u.hours);
}

std::string when(const ScenarioSpec& spec, double t_h) {
  if (std::isnan(t_h)) return "never";
  return (std::string(unit_for(spec, t_h).name) == "d" ? "on " : "at ") + time_of(spec, t_h);
}

std::string mg(double amount_mg) { return fmt("%.0f mg", amount_mg); }

std::string join_list(const std::vector<std::string>& items) {
  std::string s;
  for (std::size_t i = 0; i < items.size(); ++i)
    s += (i == 0 ? "" : i + 1 == items.size() ? " and " : ", ") + items[i];
  return s;
}

double agonist_occupancy(const Trajectory& t, std::size_t i) { return t.agonist_occupancy(i); }
double antagonist_occupancy(const Trajectory& t, std::size_t i) {
  return t.antagonist_occupancy(i);
}

namespace {

constexpr int kCoarseSteps = 2000;
constexpr int kFineSteps = 240;

std::vector<double> even(double t0, double t1, int n) {
  std::vector<double> t;
  for (int k = 0; k <= n; ++k) t.push_back(t0 + (t1 - t0) * static_cast<double>(k) / n);
  return t;
}

// Where f passes `level` between samples i and i + 1 (linear in between).
double interpolate(const Trajectory& tr, const SampleObservable& f, std::size_t i, double level) {
  const double y0 = f(tr, i), y1 = f(tr, i + 1);
  if (y0 == y1) return tr.t_h[i];
  return tr.t_h[i] + (tr.t_h[i + 1] - tr.t_h[i]) * std::clamp((y0 - level) / (y0 - y1), 0.0, 1.0);
}

// The coarse pass keeps its run, so that the fine passes read it instead of simulating again
// (the solver's steps do not depend on the sample times); without dense output they simulate.
Trajectory coarse_pass(ArmSimulator& sim, const Arm& arm, double t0, double t1) {
  SimulateOptions keep;
  keep.keep_dense_output = true;
  return sim.simulate(arm, even(t0, t1, kCoarseSteps), nullptr, keep);
}

Trajectory fine_pass(ArmSimulator& sim, const Arm& arm, const Trajectory& coarse, double t0,
                     double t1) {
  const std::vector<double> t = even(t0, t1, kFineSteps);
  return coarse.dense ? coarse.dense->sample(t) : sim.simulate(arm, t);
}

}  // namespace

double first_time_below(ArmSimulator& sim, const Arm& arm, const SampleObservable& f, double t0,
                        double t1, double level) {
  if (!(t1 > t0)) return std::nan("");
  const Trajectory c = coarse_pass(sim, arm, t0, t1);
  for (std::size_t i = 1; i < c.n_times(); ++i) {  // (t0, t1]
    if (f(c, i) >= level) continue;
    if (f(c, i - 1) < level) return c.t_h[i - 1];  // below from t0 on
    const Trajectory d = fine_pass(sim, arm, c, c.t_h[i - 1], c.t_h[i]);
    for (std::size_t j = 1; j < d.n_times(); ++j)
      if (f(d, j) < level) return f(d, j - 1) < level ? d.t_h[j] : interpolate(d, f, j - 1, level);
    return c.t_h[i];
  }
  return std::nan("");
}

double last_time_at_least(ArmSimulator& sim, const Arm& arm, const SampleObservable& f, double t0,
                          double t1, double level) {
  return last_times_at_least(sim, arm, f, t0, t1, {level}).front();
}

std::vector<double> last_times_at_least(ArmSimulator& sim, const Arm& arm,
                                        const SampleObservable& f, double t0, double t1,
                                        const std::vector<double>& levels) {
  std::vector<double> out(levels.size(), std::nan(""));
  if (!(t1 > t0)) return out;
  const Trajectory c = coarse_pass(sim, arm, t0, t1);  // one for every level
  for (std::size_t k = 0; k < levels.size(); ++k) {
    const double level = levels[k];
    for (std::size_t i = c.n_times(); i-- > 0;) {
      if (f(c, i) < level) continue;
      if (i + 1 == c.n_times()) {
        out[k] = c.t_h[i];
        break;
      }
      const Trajectory d = fine_pass(sim, arm, c, c.t_h[i], c.t_h[i + 1]);
      out[k] = c.t_h[i];
      for (std::size_t j = d.n_times() - 1; j-- > 0;)
        if (f(d, j) >= level) {
          out[k] = interpolate(d, f, j, level);
          break;
        }
      break;
    }
  }
  return out;
}

}  // namespace morsim::lessons
