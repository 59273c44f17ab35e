// Two passes on the integrator's dense output: coarse samples find each maximum, fine ones
// place it, a parabola through the three finest samples interpolates between them.
#include "analysis/dense_peak.hpp"

#include <algorithm>
#include <cmath>
#include <functional>

#include "solver/arm_simulator.hpp"

namespace morsim {
namespace {

constexpr double kCoarseStepH = 1.0 / 60.0;  // 1 min: an IV heroin peak takes several minutes
constexpr double kCoarseSpanH = 6.0;         // then 10 min, where nothing peaks sharply
constexpr double kSparseStepH = 10.0 / 60.0;
constexpr int kFineIntervals = 240;  // across two coarse steps: 0.5 s apart

std::vector<double> sorted_unique(std::vector<double> t) {
  std::sort(t.begin(), t.end());
  std::vector<double> out;
  for (double s : t)
    if (out.empty() || s - out.back() > 1e-9) out.push_back(s);
  return out;
}

// Index range of samples inside [t0, t1] (samples sorted).
std::pair<std::size_t, std::size_t> inside(const std::vector<double>& t, double t0, double t1) {
  const auto a = std::lower_bound(t.begin(), t.end(), t0 - 1e-9);
  const auto b = std::upper_bound(t.begin(), t.end(), t1 + 1e-9);
  return {static_cast<std::size_t>(a - t.begin()), static_cast<std::size_t>(b - t.begin())};
}

std::size_t argmax(const Trajectory& tr, const SampleObservable& f, std::size_t a, std::size_t b) {
  std::size_t best = a;
  double v = -INFINITY;
  for (std::size_t i = a; i < b; ++i) {
    const double y = f(tr, i);
    if (y > v) v = y, best = i;
  }
  return best;
}

Trajectory one_sample(const Trajectory& tr, std::size_t i) {
  Trajectory s;
  s.arm = tr.arm;
  s.compounds = tr.compounds;
  s.is_agonist = tr.is_agonist;
  s.binds_receptor = tr.binds_receptor;
  s.effect_modelled = tr.effect_modelled;
  const std::size_t nk = tr.n_compounds();
  s.t_h = {tr.t_h[i]};
  s.plasma_nM.assign(tr.plasma_nM.begin() + i * nk, tr.plasma_nM.begin() + (i + 1) * nk);
  s.brain_nM.assign(tr.brain_nM.begin() + i * nk, tr.brain_nM.begin() + (i + 1) * nk);
  s.occupancy.assign(tr.occupancy.begin() + i * nk, tr.occupancy.begin() + (i + 1) * nk);
  s.free_receptor = {tr.free_receptor[i]};
  s.effect = {tr.effect[i]};
  return s;
}

using Sampler = std::function<Trajectory(const std::vector<double>& t_h)>;

// The coarse pass's samples: every window on 1-min steps, 10-min beyond its first 6 h.
std::vector<double> coarse_times(const std::vector<PeakWindow>& windows) {
  std::vector<double> coarse;
  for (const PeakWindow& w : windows) {
    for (double t = w.t0_h; t < w.t1_h - 1e-9;
         t += (t - w.t0_h < kCoarseSpanH ? kCoarseStepH : kSparseStepH))
      coarse.push_back(t);
    coarse.push_back(w.t1_h);
  }
  return sorted_unique(coarse);
}

// Both passes after the coarse samples `c`: the fine samples come from `fine_samples`.
std::vector<std::vector<DensePeak>> peaks_from(const Trajectory& c, const Sampler& fine_samples,
                                               const std::vector<PeakWindow>& windows,
                                               const std::vector<SampleObservable>& observables) {
  // Fine samples two coarse steps wide about each coarse maximum, clipped to the window.
  std::vector<double> fine;
  std::vector<std::vector<std::pair<double, double>>> spans(windows.size());
  for (std::size_t w = 0; w < windows.size(); ++w) {
    const auto [a, b] = inside(c.t_h, windows[w].t0_h, windows[w].t1_h);
    for (const SampleObservable& f : observables) {
      if (a >= b) {
        spans[w].push_back({windows[w].t0_h, windows[w].t0_h});
        continue;
      }
      const std::size_t i = argmax(c, f, a, b);
      const double lo = c.t_h[i > a ? i - 1 : i], hi = c.t_h[i + 1 < b ? i + 1 : i];
      spans[w].push_back({lo, hi});
      for (int k = 0; k <= kFineIntervals; ++k)
        fine.push_back(lo + (hi - lo) * static_cast<double>(k) / kFineIntervals);
    }
  }
  fine = sorted_unique(fine);
  const Trajectory d = fine_samples(fine);
  std::vector<std::vector<DensePeak>> out(windows.size());
  for (std::size_t w = 0; w < windows.size(); ++w)
    for (std::size_t o = 0; o < observables.size(); ++o) {
      const auto [a, b] = inside(d.t_h, spans[w][o].first, spans[w][o].second);
      DensePeak p;
      if (a >= b) {  // an empty window
        p.value = std::nan("");
        p.t_h = std::nan("");
        out[w].push_back(p);
        continue;
      }
      const SampleObservable& f = observables[o];
      const std::size_t i = argmax(d, f, a, b);
      p.value = f(d, i);
      p.t_h = d.t_h[i];
      if (i > a && i + 1 < b) {  // interior: the vertex of the parabola through three samples
        const double x0 = d.t_h[i - 1], x1 = d.t_h[i], x2 = d.t_h[i + 1];
        const double y0 = f(d, i - 1), y1 = p.value, y2 = f(d, i + 1);
        const double num = (x1 - x0) * (x1 - x0) * (y1 - y2) - (x1 - x2) * (x1 - x2) * (y1 - y0);
        const double den = (x1 - x0) * (y1 - y2) - (x1 - x2) * (y1 - y0);
        if (den != 0.0) {
          const double x = std::clamp(x1 - 0.5 * num / den, x0, x2);
          const double l0 = (x - x1) * (x - x2) / ((x0 - x1) * (x0 - x2));
          const double l1 = (x - x0) * (x - x2) / ((x1 - x0) * (x1 - x2));
          const double l2 = (x - x0) * (x - x1) / ((x2 - x0) * (x2 - x1));
          p.t_h = x;
          p.value = std::max(y1, l0 * y0 + l1 * y1 + l2 * y2);
        }
      }
      p.at_peak = one_sample(d, i);
      out[w].push_back(std::move(p));
    }
  return out;
}

}  // namespace

std::vector<std::vector<DensePeak>> locate_peaks(ArmSimulator& sim, const Arm& arm,
                                                 const std::vector<PeakWindow>& windows,
                                                 const std::vector<SampleObservable>& observables) {
  SimulateOptions keep;
  keep.keep_dense_output = true;
  const Trajectory c = sim.simulate(arm, coarse_times(windows), nullptr, keep);
  const Sampler fine = [&](const std::vector<double>& t_h) {
    return c.dense ? c.dense->sample(t_h) : sim.simulate(arm, t_h);
  };
  return peaks_from(c, fine, windows, observables);
}

std::vector<std::vector<DensePeak>> locate_peaks(const DenseOutput& dense,
                                                 const std::vector<PeakWindow>& windows,
                                                 const std::vector<SampleObservable>& observables) {
  const Sampler on_record = [&](const std::vector<double>& t_h) { return dense.sample(t_h); };
  return peaks_from(dense.sample(coarse_times(windows)), on_record, windows, observables);
}

bool dense_output_covers(const DenseOutput& dense, const std::vector<PeakWindow>& windows) {
  for (const PeakWindow& w : windows)
    if (w.t0_h < dense.t_begin_h() || w.t1_h > dense.t_end_h()) return false;
  return true;
}

std::vector<std::vector<DensePeak>> locate_peaks(const Trajectory& tr, ArmSimulator& sim,
                                                 const Arm& arm,
                                                 const std::vector<PeakWindow>& windows,
                                                 const std::vector<SampleObservable>& observables) {
  if (tr.dense && dense_output_covers(*tr.dense, windows))
    return locate_peaks(*tr.dense, windows, observables);
  return locate_peaks(sim, arm, windows, observables);
}

std::vector<std::vector<DensePeak>> locate_peaks_simulating_twice(
    ArmSimulator& sim, const Arm& arm, const std::vector<PeakWindow>& windows,
    const std::vector<SampleObservable>& observables) {
  const Sampler simulated = [&](const std::vector<double>& t_h) { return sim.simulate(arm, t_h); };
  return peaks_from(simulated(coarse_times(windows)), simulated, windows, observables);
}

}  // namespace morsim
