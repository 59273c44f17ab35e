// Competitive binding kinetics, Gaddum equilibrium and the operational effect model.
#include "binding/competitive_binding.hpp"

#include <algorithm>
#include <cmath>

namespace morsim {

double association_rate_per_h(const Binding& b, double ce_nM) {
  // For n = 1 the term stays linear through 0: clamping tiny negative round-off values there
  // puts a kink in the right-hand side that holds the stiff solver to small steps for hours
  // after each heroin dose (seen on ref-v1: 3767 steps instead of ~1000).
  if (b.hill_n == 1.0) return b.kon_per_nM_n_per_h * ce_nM;
  return b.kon_per_nM_n_per_h * std::pow(std::max(ce_nM, 0.0), b.hill_n);
}

double association_rate_derivative(const Binding& b, double ce_nM) {
  if (b.hill_n == 1.0) return b.kon_per_nM_n_per_h;
  // For n < 1 the derivative is unbounded at 0; the Jacobian only steers the implicit stages,
  // so a floor keeps it finite without changing the solution.
  constexpr double kFloor_nM = 1e-9;
  const double c = std::max(ce_nM, kFloor_nM);
  return b.kon_per_nM_n_per_h * b.hill_n * std::pow(c, b.hill_n - 1.0);
}

void equilibrium_occupancy(const std::vector<const Binding*>& ligands, const double* ce_nM,
                           double* occupancy) {
  double sum = 0.0;
  for (std::size_t i = 0; i < ligands.size(); ++i) {
    const Binding& b = *ligands[i];
    // (C/K)^n = kon C^n / koff, which avoids the n-th root in K.
    occupancy[i] = std::max(association_rate_per_h(b, ce_nM[i]), 0.0) / b.koff_per_h;
    sum += occupancy[i];
  }
  for (std::size_t i = 0; i < ligands.size(); ++i) occupancy[i] /= 1.0 + sum;
}

double operational_effect(const std::vector<const Binding*>& ligands, const double* occupancy,
                          double transducer_slope) {
  double stimulus = 0.0;
  for (std::size_t i = 0; i < ligands.size(); ++i)
    stimulus += ligands[i]->tau * std::max(occupancy[i], 0.0);
  if (stimulus <= 0.0) return 0.0;
  const double s = transducer_slope == 1.0 ? stimulus : std::pow(stimulus, transducer_slope);
  return s / (1.0 + s);
}

}  // namespace morsim
