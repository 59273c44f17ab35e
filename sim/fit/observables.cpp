// Statistics of sampled curves for the fit's datasets.
#include "fit/observables.hpp"

#include <algorithm>
#include <cmath>

#include "pk/dose_schedule.hpp"

namespace morsim::fit {

namespace {

constexpr double kFirstRefine = 1.0 / 60.0;  // h after an event
constexpr double kRefineRatio = 1.1;         // geometric growth of the refinement steps
constexpr double kBeforeEvent = 1e-5;        // h: the sample just before an event
constexpr int kCurveIntervals = 1000;

void sort_unique(std::vector<double>& t) {
  std::sort(t.begin(), t.end());
  std::vector<double> out;
  out.reserve(t.size());
  for (double s : t)
    if (out.empty() || s - out.back() > 1e-9) out.push_back(s);
  t.swap(out);
}

void add_uniform(std::vector<double>& t, double from, double to, int intervals) {
  for (int i = 0; i <= intervals; ++i)
    t.push_back(i == intervals ? to : from + (to - from) * i / intervals);
}

void add_refinement(std::vector<double>& t, double from, double to,
                    const std::vector<double>& events) {
  for (double e : events) {
    if (e < from || e > to) continue;
    t.push_back(e);
    if (e - kBeforeEvent > from) t.push_back(e - kBeforeEvent);
    for (double dt = kFirstRefine; e + dt < to; dt *= kRefineRatio) t.push_back(e + dt);
  }
}

// Indices [lo, hi] of the samples in [from, to].
std::pair<std::size_t, std::size_t> window_range(const std::vector<double>& t, double from,
                                                 double to) {
  const auto lo = std::lower_bound(t.begin(), t.end(), from - 1e-9) - t.begin();
  auto hi = std::upper_bound(t.begin(), t.end(), to + 1e-9) - t.begin();
  return {static_cast<std::size_t>(lo), static_cast<std::size_t>(std::max<long>(hi - 1, lo))};
}

bool event_within(const std::vector<double>& events, double a, double b) {
  const auto it = std::lower_bound(events.begin(), events.end(), a - 1e-9);
  return it != events.end() && *it <= b + 1e-9;
}

// The crossing of `level` between samples i-1 and i (linear), or t[i] if an event sits there.
double crossing(const std::vector<double>& t, const std::vector<double>& y, std::size_t i,
                double level, const std::vector<double>& events) {
  const auto ev = std::upper_bound(events.begin(), events.end(), t[i - 1] + 1e-12);
  if (ev != events.end() && *ev <= t[i] + 1e-9) return t[i];  // a jump at an event
  const double dy = y[i] - y[i - 1];
  if (dy == 0) return t[i];
  return t[i - 1] + (level - y[i - 1]) * (t[i] - t[i - 1]) / dy;
}

}  // namespace

std::vector<double> event_times(const ScenarioSpec& spec, std::size_t arm) {
  const ExpandedSchedule s = expand_schedule(spec, spec.arms[arm]);
  std::vector<double> out;
  for (const PhaseInput& in : s.inputs) {
    out.push_back(in.start_h);
    if (in.duration_h > 0) out.push_back(in.start_h + in.duration_h);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::vector<double> observation_times(const Dataset& d, std::size_t arm,
                                      const std::vector<double>& events) {
  std::vector<double> t;
  for (const Observation& o : d.rows)
    if (o.arm == arm && !std::isnan(o.time_h)) t.push_back(o.time_h);
  if (d.statistic == Statistic::kRelative) t.push_back(d.reference_time_h);
  if (!needs_row_time(d.statistic)) {
    add_uniform(t, d.window_from_h, d.window_to_h, kWindowIntervals);
    add_uniform(t, d.window_from_h, d.window_to_h, kHalfLifePoints - 1);
    add_refinement(t, d.window_from_h, d.window_to_h, events);
  }
  sort_unique(t);
  return t;
}

std::vector<double> curve_times(const Dataset& d, std::size_t arm,
                                const std::vector<double>& events) {
  const bool window = !needs_row_time(d.statistic);
  const double from = window ? d.window_from_h : d.base.grid.t_start_h;
  const double to = window ? d.window_to_h : d.base.grid.t_end_h;
  std::vector<double> t;
  add_uniform(t, from, to, kCurveIntervals);
  add_refinement(t, from, to, events);
  for (const Observation& o : d.rows)
    if (o.arm == arm && !std::isnan(o.time_h)) t.push_back(o.time_h);
  if (d.statistic == Statistic::kRelative) t.push_back(d.reference_time_h);
  sort_unique(t);
  return t;
}

std::vector<double> quantity_series(const Dataset& d, const Trajectory& tr) {
  std::vector<double> y(tr.n_times(), 0.0);
  for (std::size_t i = 0; i < tr.n_times(); ++i) {
    switch (d.quantity) {
      case Quantity::kPlasma:
        y[i] = tr.plasma(i, d.compounds[0]);
        break;
      case Quantity::kOccupancy:
        for (std::size_t k : d.compounds) y[i] += tr.occ(i, k);
        break;
      case Quantity::kEffect:
        y[i] = tr.effect[i];
        break;
    }
  }
  return y;
}

double value_at(const std::vector<double>& t, const std::vector<double>& y, double at) {
  if (t.empty() || at < t.front() - 1e-9 || at > t.back() + 1e-9) return kNaN;
  auto it = std::lower_bound(t.begin(), t.end(), at - 1e-9);
  if (it == t.end()) return y.back();
  const auto i = static_cast<std::size_t>(it - t.begin());
  if (std::abs(t[i] - at) <= 1e-9 || i == 0) return y[i];
  const double w = (at - t[i - 1]) / (t[i] - t[i - 1]);
  return y[i - 1] + w * (y[i] - y[i - 1]);
}

Peak window_peak(const std::vector<double>& t, const std::vector<double>& y, double from, double to,
                 const std::vector<double>& events) {
  Peak p;
  if (t.empty()) return p;
  const auto [lo, hi] = window_range(t, from, to);
  std::size_t m = lo;
  for (std::size_t i = lo; i <= hi; ++i)
    if (y[i] > y[m]) m = i;
  p.index = m;
  p.t_h = t[m];
  p.value = y[m];
  if (m == lo || m == hi || event_within(events, t[m - 1], t[m + 1])) return p;
  // Parabola through (t0, y0), (t1, y1), (t2, y2): vertex and its value.
  const double t0 = t[m - 1], t1 = t[m], t2 = t[m + 1];
  const double y0 = y[m - 1], y1 = y[m], y2 = y[m + 1];
  const double a = (t1 - t0) * (y1 - y2), b = (t1 - t2) * (y1 - y0);
  const double den = a - b;
  if (!(std::abs(den) > 0)) return p;
  const double tv = t1 - 0.5 * ((t1 - t0) * a - (t1 - t2) * b) / den;
  if (!(tv > t0 && tv < t2)) return p;
  const double l0 = (tv - t1) * (tv - t2) / ((t0 - t1) * (t0 - t2));
  const double l1 = (tv - t0) * (tv - t2) / ((t1 - t0) * (t1 - t2));
  const double l2 = (tv - t0) * (tv - t1) / ((t2 - t0) * (t2 - t1));
  const double yv = l0 * y0 + l1 * y1 + l2 * y2;
  if (yv >= y1) {
    p.t_h = tv;
    p.value = yv;
  }
  return p;
}

double rise_to_half_peak(const std::vector<double>& t, const std::vector<double>& y, double from,
                         double to, const std::vector<double>& events) {
  const Peak p = window_peak(t, y, from, to, events);
  if (std::isnan(p.value)) return kNaN;
  const double half = 0.5 * p.value;
  const auto [lo, hi] = window_range(t, from, to);
  (void)hi;
  if (y[lo] >= half) return t[lo] - from;
  for (std::size_t i = lo + 1; i <= p.index; ++i)
    if (y[i] >= half) return crossing(t, y, i, half, events) - from;
  return kNaN;
}

double fall_to_half_peak(const std::vector<double>& t, const std::vector<double>& y, double from,
                         double to, const std::vector<double>& events) {
  const Peak p = window_peak(t, y, from, to, events);
  if (std::isnan(p.value)) return kNaN;
  const double half = 0.5 * p.value;
  const auto [lo, hi] = window_range(t, from, to);
  (void)lo;
  for (std::size_t i = p.index + 1; i <= hi; ++i)
    if (y[i] < half) return crossing(t, y, i, half, events) - p.t_h;
  return kNaN;
}

double window_auc(const std::vector<double>& t, const std::vector<double>& y, double from,
                  double to) {
  if (t.empty()) return kNaN;
  const auto [lo, hi] = window_range(t, from, to);
  double s = 0.0;
  for (std::size_t i = lo + 1; i <= hi; ++i) s += 0.5 * (y[i] + y[i - 1]) * (t[i] - t[i - 1]);
  return s;
}

double log_linear_half_life(const std::vector<double>& t, const std::vector<double>& y, double from,
                            double to) {
  double n = 0, sx = 0, sy = 0, sxx = 0, sxy = 0;
  for (int k = 0; k < kHalfLifePoints; ++k) {
    const double tk =
        k == kHalfLifePoints - 1 ? to : from + (to - from) * k / (kHalfLifePoints - 1);
    const double v = value_at(t, y, tk);
    if (!(v > 0)) continue;
    const double ly = std::log(v);
    n += 1, sx += tk, sy += ly, sxx += tk * tk, sxy += tk * ly;
  }
  if (n < 2) return kNaN;
  const double den = n * sxx - sx * sx;
  if (!(den > 0)) return kNaN;
  const double slope = (n * sxy - sx * sy) / den;
  return slope < 0 ? std::log(2.0) / -slope : kNaN;
}

std::vector<double> model_values(const Dataset& d, const std::vector<const Trajectory*>& by_arm,
                                 const std::vector<std::vector<double>>& events) {
  std::vector<std::vector<double>> series(by_arm.size());
  for (std::size_t a : d.arms) series[a] = quantity_series(d, *by_arm[a]);
  const auto window_auc_of = [&](std::size_t a) {
    return window_auc(by_arm[a]->t_h, series[a], d.window_from_h, d.window_to_h);
  };
  std::vector<double> out;
  out.reserve(d.rows.size());
  for (const Observation& o : d.rows) {
    const std::vector<double>& t = by_arm[o.arm]->t_h;
    const std::vector<double>& y = series[o.arm];
    const std::vector<double>& ev = events[o.arm];
    const double a = d.window_from_h, b = d.window_to_h;
    double v = kNaN;
    switch (d.statistic) {
      case Statistic::kValue:
        v = value_at(t, y, o.time_h);
        break;
      case Statistic::kRelative: {
        const double ref = value_at(t, y, d.reference_time_h);
        v = ref > 0 ? value_at(t, y, o.time_h) / ref : kNaN;
        break;
      }
      case Statistic::kPeak:
        v = window_peak(t, y, a, b, ev).value;
        break;
      case Statistic::kTimeOfPeak:
        v = window_peak(t, y, a, b, ev).t_h - a;
        break;
      case Statistic::kRiseToHalfPeak:
        v = rise_to_half_peak(t, y, a, b, ev);
        break;
      case Statistic::kFallToHalfPeak:
        v = fall_to_half_peak(t, y, a, b, ev);
        break;
      case Statistic::kAuc:
        v = window_auc_of(o.arm);
        break;
      case Statistic::kAucRatio: {
        const double ref = window_auc_of(d.reference_arm);
        v = ref > 0 ? window_auc_of(o.arm) / ref : kNaN;
        break;
      }
      case Statistic::kHalfLife:
        v = log_linear_half_life(t, y, a, b);
        break;
    }
    out.push_back(v / d.value_scale);
  }
  return out;
}

}  // namespace morsim::fit
