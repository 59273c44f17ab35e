// Competitive binding of several ligands to one receptor population, and the agonist effect.
#pragma once

#include <cstddef>
#include <vector>

#include "model/compound.hpp"

namespace morsim {

// Association term kon * Ce^n; for n != 1, Ce is clamped at 0 (round-off can make it < 0).
double association_rate_per_h(const Binding& b, double ce_nM);
// d(kon * Ce^n)/dCe; finite at Ce = 0 for n < 1 by evaluating at a small floor.
double association_rate_derivative(const Binding& b, double ce_nM);

// Equilibrium (Gaddum) occupancy of each ligand given its brain concentration:
// theta_i = (C_i/K_i)^n_i / (1 + sum_j (C_j/K_j)^n_j). Writes into `occupancy`.
void equilibrium_occupancy(const std::vector<const Binding*>& ligands, const double* ce_nM,
                           double* occupancy);

// Operational (Black-Leff) agonist effect from occupancy: stimulus S = sum tau_i theta_i,
// effect E/Emax = S^nT / (1 + S^nT). Antagonists have tau = 0 and add nothing.
double operational_effect(const std::vector<const Binding*>& ligands, const double* occupancy,
                          double transducer_slope);

}  // namespace morsim
