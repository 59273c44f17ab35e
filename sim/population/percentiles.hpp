// Exact percentiles with numpy's default ('linear', Hyndman & Fan type 7) definition:
// h = (n - 1) q / 100, value = x[floor h] + (h - floor h) (x[floor h + 1] - x[floor h]).
#pragma once

#include <vector>

namespace morsim::population {

// The percentiles `q_percent` (each in [0, 100]) of `values`, which are reordered. NaN for an
// empty input.
std::vector<double> percentiles_linear(std::vector<double>& values,
                                       const std::vector<double>& q_percent);

}  // namespace morsim::population
