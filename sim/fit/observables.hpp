// What a dataset observes, computed from simulated trajectories: the quantity along an arm,
// the statistics of docs/fit.md over it, and the sample times they need. Curves are piecewise
// linear between samples; a peak between samples is refined by a parabola through the
// largest sample and its neighbours.
#pragma once

#include <cstddef>
#include <vector>

#include "fit/fit_spec.hpp"
#include "model/trajectory.hpp"

namespace morsim::fit {

// Uniform intervals over a statistic's window, and points of the half-life regression.
constexpr int kWindowIntervals = 2000;
constexpr int kHalfLifePoints = 51;

// Times at which inputs start or stop in an arm (dose times plus lags, infusion ends), sorted.
std::vector<double> event_times(const ScenarioSpec& spec, std::size_t arm);

// The samples a dataset needs from one arm: the rows' times and the reference time; for the
// window statistics a fine grid over the window (uniform, plus a geometric grid from 1 minute
// after every event and a sample just before it) and the half-life points. Sorted, unique.
std::vector<double> observation_times(const Dataset& d, std::size_t arm,
                                      const std::vector<double>& events);

// A fine grid for drawing the model curve of one arm: the scenario's output range (the window
// for the window statistics), refined after events, with the rows' times.
std::vector<double> curve_times(const Dataset& d, std::size_t arm,
                                const std::vector<double>& events);

// The dataset's quantity along a trajectory in internal units: plasma nM of its compound, the
// summed occupancy of its compounds, or the effect (fractions).
std::vector<double> quantity_series(const Dataset& d, const Trajectory& tr);

// --- Statistics of one sampled series (t ascending, internal units, times in h) ---

// Linear interpolation; NaN outside [t.front(), t.back()].
double value_at(const std::vector<double>& t, const std::vector<double>& y, double at);

struct Peak {
  double t_h = kNaN;
  double value = kNaN;
  std::size_t index = 0;  // the largest sample
};
// The maximum over [from, to]; refined by a parabola unless it lies at the window's edge or an
// event is within one sample of it (a corner, e.g. an IV bolus).
Peak window_peak(const std::vector<double>& t, const std::vector<double>& y, double from, double to,
                 const std::vector<double>& events);
// Hours from `from` until the series first reaches half the peak (0 when it starts there).
double rise_to_half_peak(const std::vector<double>& t, const std::vector<double>& y, double from,
                         double to, const std::vector<double>& events);
// Hours from the peak until the series falls below half of it; NaN if not within the window.
double fall_to_half_peak(const std::vector<double>& t, const std::vector<double>& y, double from,
                         double to, const std::vector<double>& events);
// Trapezoidal integral over [from, to] (units x h).
double window_auc(const std::vector<double>& t, const std::vector<double>& y, double from,
                  double to);
// ln 2 / -slope of the least-squares line of ln y on t at kHalfLifePoints uniform points of
// [from, to] (points with y <= 0 left out); NaN when the line does not fall.
double log_linear_half_life(const std::vector<double>& t, const std::vector<double>& y, double from,
                            double to);

// The model's value for every row of `d`, in the dataset's value unit (NaN where the statistic
// is undefined). `by_arm[a]` is the trajectory of arm a (sampled at observation_times) and
// `events[a]` its event times; arms the dataset does not use may be null.
std::vector<double> model_values(const Dataset& d, const std::vector<const Trajectory*>& by_arm,
                                 const std::vector<std::vector<double>>& events);

}  // namespace morsim::fit
