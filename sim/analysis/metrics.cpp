// Metrics on piecewise-linear sampled curves; bisection in log-dose for surmountability.
#include "analysis/metrics.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace morsim {

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
}

double series_peak(const std::vector<double>& y) {
  if (y.empty()) return kNaN;
  return *std::max_element(y.begin(), y.end());
}

double series_value_at(const std::vector<double>& t, const std::vector<double>& y, double t_at) {
  if (t.empty() || t_at < t.front() || t_at > t.back()) return kNaN;
  const auto it = std::lower_bound(t.begin(), t.end(), t_at);
  const std::size_t i = static_cast<std::size_t>(it - t.begin());
  if (t[i] == t_at || i == 0) return y[i];
  const double w = (t_at - t[i - 1]) / (t[i] - t[i - 1]);
  return y[i - 1] + w * (y[i] - y[i - 1]);
}

double series_time_above(const std::vector<double>& t, const std::vector<double>& y, double level) {
  double total = 0.0;
  for (std::size_t i = 1; i < t.size(); ++i) {
    const double a = y[i - 1] - level, b = y[i] - level, dt = t[i] - t[i - 1];
    if (a >= 0.0 && b >= 0.0) {
      total += dt;
    } else if (a >= 0.0 || b >= 0.0) {
      // One end above: the part of the interval on the upper side of the crossing.
      const double above = (a >= 0.0 ? a : b) / std::abs(b - a);
      total += dt * above;
    }
  }
  return total;
}

double series_auc(const std::vector<double>& t, const std::vector<double>& y) {
  double s = 0.0;
  for (std::size_t i = 1; i < t.size(); ++i) s += 0.5 * (y[i] + y[i - 1]) * (t[i] - t[i - 1]);
  return s;
}

double blockade_fraction(double peak, double control_peak) {
  if (!(control_peak > 0.0)) return kNaN;
  return 1.0 - peak / control_peak;
}

double solve_dose_for_response(const std::function<double(double)>& f, double target, double lo,
                               double hi, double rel_tol, int* evaluations) {
  int n = 0;
  auto eval = [&](double d) {
    ++n;
    return f(d);
  };
  double result = kNaN;
  if (eval(lo) >= target) {
    result = lo;
  } else if (eval(hi) >= target) {
    // Invariant: f(lo) < target <= f(hi). Bisect the logarithm: doses span decades.
    double a = std::log(lo), b = std::log(hi);
    const double tol = std::log1p(rel_tol);
    while (b - a > tol) {
      const double m = 0.5 * (a + b);
      if (eval(std::exp(m)) >= target)
        b = m;
      else
        a = m;
    }
    result = std::exp(b);
  }
  if (evaluations) *evaluations = n;
  return result;
}

}  // namespace morsim
