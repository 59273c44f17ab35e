// The ODE system of a scenario, as the integrators see it: the linear pharmacokinetics of pk/
// (dx/dt = A x + u) plus the receptor block of binding/.
#pragma once

#include <Eigen/Dense>
#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "binding/receptor_binding.hpp"
#include "model/scenario.hpp"
#include "pk/linear_pk.hpp"

namespace morsim {

struct CompileOptions {
  // Adds a state accumulating every amount that leaves the body (elimination not forming a
  // metabolite, and presystemic loss), so that dosed = in body + eliminated can be checked.
  bool track_eliminated = false;
};

class CompiledModel {
 public:
  explicit CompiledModel(const ScenarioSpec& spec, const CompileOptions& options = {});

  std::size_t size() const { return pk_.size(); }
  const std::vector<std::string>& state_names() const { return pk_.names; }
  const std::vector<std::string>& state_units() const { return pk_.units; }
  // Multiplies the absolute tolerance per state, so that `atol` means the same everywhere: an
  // amount (nmol) is held to atol x the volume (L) it is diluted in, i.e. atol in nM.
  const std::vector<double>& tolerance_scale() const { return pk_.tolerance_scale; }
  // Per state, the level that would occupy half of the free receptors (in the state's unit;
  // 1 for occupancies, +inf for states that cannot reach the receptor).
  const std::vector<double>& half_occupancy_level() const { return pk_.half_occupancy; }
  // The absolute tolerance of each state under `opt` (atol x tolerance_scale, or with
  // atol_occupancy set, atol_occupancy x half_occupancy_level where that is finite).
  std::vector<double> absolute_tolerance(const SolverOptions& opt) const;
  const std::vector<CompoundStates>& compounds() const { return pk_.compounds; }
  std::size_t n_compounds() const { return pk_.compounds.size(); }
  BindingMode binding_mode() const { return binding_.mode(); }
  // True when the whole system is dx/dt = A x + u: no kinetic binding equations (equilibrium
  // occupancy is read from the brain states, it is not a state), so it can be propagated exactly
  // (solver/exact_linear.cpp).
  bool is_linear() const {
    return binding_.mode() != BindingMode::kKinetic || binding_.n_ligands() == 0;
  }
  // A as a dense matrix (n x n), built once.
  const Eigen::MatrixXd& linear_matrix() const { return a_dense_; }
  const ReceptorBinding& binding() const { return binding_; }
  bool has_operational_effect() const { return binding_.has_operational_effect(); }
  int eliminated_state() const { return pk_.eliminated; }
  // Where an input to phase `phase` of formulation `formulation` goes.
  const std::vector<InputTarget>& input_targets(std::size_t formulation, std::size_t phase) const {
    return pk_.inputs[formulation][phase];
  }

  // dx/dt = A x + u + binding(x); u holds zero-order input rates (nmol/h) for the segment.
  void rhs(const Eigen::VectorXd& x, const Eigen::VectorXd& u, Eigen::VectorXd& dxdt) const;
  // df/dx; A plus the binding block.
  void jacobian(const Eigen::VectorXd& x, Eigen::MatrixXd& jac) const;
  // (row, col) of every entry of the Jacobian that can be nonzero, whatever the state.
  const std::vector<std::pair<int, int>>& jacobian_nonzeros() const { return jacobian_nonzeros_; }
  // The Jacobian's values at x in the order of jacobian_nonzeros(), without forming the matrix.
  void jacobian_values(const Eigen::VectorXd& x, double* values) const;

  // Plasma and brain concentrations (nM), occupancy per compound, free receptor and effect
  // (NaN when the receptor model has no operational effect).
  void observe(const Eigen::VectorXd& x, double* plasma_nM, double* brain_nM, double* occupancy,
               double& free_receptor, double& effect) const;

 private:
  LinearPk pk_;
  ReceptorBinding binding_;
  std::vector<std::pair<int, int>> jacobian_nonzeros_;
  Eigen::MatrixXd a_dense_;
};

}  // namespace morsim
