// Scalar summaries of a sampled occupancy curve, and the dose search behind surmountability.
// Curves are piecewise linear between samples (t sorted ascending); all times in hours.
#pragma once

#include <cstddef>
#include <functional>
#include <vector>

namespace morsim {

// Largest sample value; NaN for an empty series.
double series_peak(const std::vector<double>& y);

// Value at time `t` by linear interpolation; NaN outside [t.front(), t.back()].
double series_value_at(const std::vector<double>& t, const std::vector<double>& y, double t_at);

// Hours during which the curve is >= `level` (crossings located by linear interpolation).
double series_time_above(const std::vector<double>& t, const std::vector<double>& y, double level);

// Trapezoidal area under the curve (occupancy x h).
double series_auc(const std::vector<double>& t, const std::vector<double>& y);

// 1 - peak / control_peak; NaN when the control peak is not positive.
double blockade_fraction(double peak, double control_peak);

// The dose in [lo, hi] at which an increasing response `f(dose)` reaches `target`, by bisection
// in log-dose until hi/lo - 1 < rel_tol. Returns NaN when f(hi) < target (not surmountable in
// the range) and lo when f(lo) >= target. `evaluations` (optional) counts calls of f.
double solve_dose_for_response(const std::function<double(double)>& f, double target, double lo,
                               double hi, double rel_tol = 1e-3, int* evaluations = nullptr);

}  // namespace morsim
