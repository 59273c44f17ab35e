// The receptor block of a scenario's ODE system: every ligand of one receptor population, its
// kinetic binding equations and their Jacobian, and occupancy and effect read from a state.
#pragma once

#include <Eigen/Dense>
#include <cstddef>
#include <utility>
#include <vector>

#include "model/scenario.hpp"
#include "pk/linear_pk.hpp"

namespace morsim {

class ReceptorBinding {
 public:
  static constexpr std::size_t kMaxLigands = 64;

  // The ligands are the compounds with a binder index in `layout`, in that order; kinetic
  // binding needs their occupancy states. Throws ModelError beyond kMaxLigands.
  ReceptorBinding(const ScenarioSpec& spec, const std::vector<CompoundStates>& layout);
  // ligands_ points into bindings_: moving keeps the buffer, copying would not.
  ReceptorBinding(const ReceptorBinding&) = delete;
  ReceptorBinding& operator=(const ReceptorBinding&) = delete;
  ReceptorBinding(ReceptorBinding&&) = default;
  ReceptorBinding& operator=(ReceptorBinding&&) = default;

  BindingMode mode() const { return mode_; }
  bool has_operational_effect() const { return operational_effect_; }
  std::size_t n_ligands() const { return ligands_.size(); }

  // Kinetic binding: adds d(theta_i)/dt = kon_i Ce_i^n_i (1 - sum theta) - koff_i theta_i to
  // dxdt. Nothing at equilibrium (occupancy is then not a state).
  void add_rates(const Eigen::VectorXd& x, Eigen::VectorXd& dxdt) const;
  // (row, col) of every entry the binding equations add to the Jacobian: per ligand its brain
  // column, then every occupancy column. Empty at equilibrium.
  void append_jacobian_nonzeros(std::vector<std::pair<int, int>>& nonzeros) const;
  // Those entries' values at x, in the same order; returns the end of what was written.
  double* jacobian_values(const Eigen::VectorXd& x, double* values) const;
  // Kinetic binding: sets every occupancy state to the binding equilibrium at the brain
  // concentrations of x (after an added steady state, whose occupancies do not add).
  void equilibrate(Eigen::VectorXd& x) const;

  // Occupancy per ligand (binder order): the states, or the Gaddum equilibrium.
  void occupancy(const Eigen::VectorXd& x, double* theta) const;
  // Operational effect (fraction of Emax) of the occupancies; NaN without an operational effect.
  double effect(const double* theta) const;

 private:
  BindingMode mode_;
  double transducer_slope_;
  bool operational_effect_;
  std::vector<Binding> bindings_;  // owned copies that ligands_ point into
  std::vector<const Binding*> ligands_;
  std::vector<int> brain_, occ_;  // per ligand: its brain state and occupancy state
};

}  // namespace morsim
