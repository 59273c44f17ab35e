// The linear pharmacokinetics of a scenario: the state layout, where each dose lands, and the
// constant matrix A of absorption, distribution, elimination, metabolite formation and brain
// (effect-site) equilibration.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "model/scenario.hpp"

namespace morsim {

// Where each compound lives in the state vector (-1 = absent).
struct CompoundStates {
  int central = -1;              // amount, nmol
  std::vector<int> peripherals;  // amounts, nmol
  int brain = -1;                // effect-site concentration, nM
  int occupancy = -1;            // fraction of receptors (kinetic binding only)
  int binder = -1;               // index among receptor ligands
};

// A share of an input that lands in one state: x[state] += factor * amount.
struct InputTarget {
  int state = 0;
  double factor = 1.0;
};

struct PkLayoutOptions {
  // Adds a state accumulating every amount that leaves the body (elimination not forming a
  // metabolite, and presystemic loss), so that dosed = in body + eliminated can be checked.
  bool track_eliminated = false;
  // Reserves an occupancy state right after each receptor ligand's brain state, for kinetic
  // binding (filled by binding/): the layout is per compound, whoever owns the equations.
  bool occupancy_states = false;
};

struct LinearPk {
  struct Entry {
    int row, col;
    double value;
  };
  std::vector<std::string> names, units;  // per state
  // Multiplies the absolute tolerance per state: an amount (nmol) is held to atol x the volume
  // (L) it is diluted in, i.e. atol in nM.
  std::vector<double> tolerance_scale;
  // Per state, the level that would occupy half of the free receptors (in the state's unit;
  // 1 for occupancies, +inf for states that cannot reach the receptor).
  std::vector<double> half_occupancy;
  std::vector<CompoundStates> compounds;                      // spec.compounds order
  std::vector<double> inv_volume_per_L;                       // 1/V per compound
  std::vector<std::vector<std::vector<InputTarget>>> inputs;  // [formulation][phase]
  int eliminated = -1;                                        // state, or -1
  std::vector<Entry> a;  // the nonzero entries of A, column by column

  std::size_t size() const { return names.size(); }
};

// Throws ModelError for a compound or formulation that names an unknown compound, or a
// receptor ligand without a brain link.
LinearPk assemble_linear_pk(const ScenarioSpec& spec, const PkLayoutOptions& options);

}  // namespace morsim
