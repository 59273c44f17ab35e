// The result of simulating one arm: a time grid with concentrations, occupancy and effect.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "model/dosing.hpp"

namespace morsim {

class DenseOutput;  // model/dense_output.hpp

struct SolverStats {
  long steps = 0;  // accepted steps
  long rejected_steps = 0;
  long rhs_evaluations = 0;
  long jacobian_evaluations = 0;
  long segments = 0;  // integration restarts at events
  // The integrator that ran ("rosenbrock4", "dopri5", "exact-linear"): exact-linear asked of a
  // kinetic model runs rosenbrock4. Empty when the arm was not simulated here.
  std::string method;
};

// Row-major (time, compound) tables; compound order is `compounds`.
struct Trajectory {
  std::string arm;
  std::vector<std::string> compounds;  // every compound of the model
  std::vector<bool> is_agonist;        // per compound: tau > 0
  std::vector<bool> binds_receptor;    // per compound
  std::vector<double> t_h;             // T
  std::vector<double> plasma_nM;       // T x K
  std::vector<double> brain_nM;        // T x K (0 for compounds with no brain link)
  std::vector<double> occupancy;       // T x K, fraction of receptors bound
  std::vector<double> free_receptor;   // T
  std::vector<double> effect;          // T, agonist effect as a fraction of the maximum
  // false: the receptor model has no operational effect; `effect` is then all NaN.
  bool effect_modelled = true;
  std::vector<DoseLogEntry> doses;  // event log, in applied-time order
  SolverStats stats;
  // The run on the solver's dense output, when the simulation was asked to keep it and its
  // method has one (rosenbrock4); shared and immutable, so copies of the trajectory are cheap.
  std::shared_ptr<const DenseOutput> dense;

  std::size_t n_times() const { return t_h.size(); }
  std::size_t n_compounds() const { return compounds.size(); }
  double plasma(std::size_t i, std::size_t k) const { return plasma_nM[i * compounds.size() + k]; }
  double brain(std::size_t i, std::size_t k) const { return brain_nM[i * compounds.size() + k]; }
  double occ(std::size_t i, std::size_t k) const { return occupancy[i * compounds.size() + k]; }
  // Index of a compound by name; throws std::out_of_range when absent.
  std::size_t compound_index(const std::string& name) const;
  // Sum of occupancy over agonists / antagonists at time index i.
  double agonist_occupancy(std::size_t i) const;
  double antagonist_occupancy(std::size_t i) const;
};

}  // namespace morsim
