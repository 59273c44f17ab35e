// Selection instead of a full sort: nth_element for x[floor h], then the minimum of the upper
// part for x[floor h + 1].
#include "population/percentiles.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace morsim::population {

std::vector<double> percentiles_linear(std::vector<double>& values,
                                       const std::vector<double>& q_percent) {
  std::vector<double> out;
  const std::size_t n = values.size();
  for (double q : q_percent) {
    if (n == 0) {
      out.push_back(std::numeric_limits<double>::quiet_NaN());
      continue;
    }
    const double h = static_cast<double>(n - 1) * q / 100.0;
    const auto lo = static_cast<std::size_t>(std::floor(h));
    std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(lo),
                     values.end());
    const double x_lo = values[lo];
    if (lo + 1 >= n) {
      out.push_back(x_lo);
      continue;
    }
    const double x_hi =
        *std::min_element(values.begin() + static_cast<std::ptrdiff_t>(lo) + 1, values.end());
    out.push_back(x_lo + (h - static_cast<double>(lo)) * (x_hi - x_lo));
  }
  return out;
}

}  // namespace morsim::population
