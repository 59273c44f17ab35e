// The ODE system of a scenario: state layout, the linear PK/brain matrix and binding.
#pragma once

#include <Eigen/Dense>
#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "model/scenario.hpp"

namespace morsim {

struct CompileOptions {
  // Adds a state accumulating every amount that leaves the body (elimination not forming a
  // metabolite, and presystemic loss), so that dosed = in body + eliminated can be checked.
  bool track_eliminated = false;
};

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

class CompiledModel {
 public:
  static constexpr std::size_t kMaxLigands = 64;

  explicit CompiledModel(const ScenarioSpec& spec, const CompileOptions& options = {});
  // ligands() points into this object: moving keeps the buffer, copying would not.
  CompiledModel(const CompiledModel&) = delete;
  CompiledModel& operator=(const CompiledModel&) = delete;
  CompiledModel(CompiledModel&&) = default;
  CompiledModel& operator=(CompiledModel&&) = default;

  std::size_t size() const { return names_.size(); }
  const std::vector<std::string>& state_names() const { return names_; }
  const std::vector<std::string>& state_units() const { return units_; }
  // Multiplies the absolute tolerance per state, so that `atol` means the same everywhere: an
  // amount (nmol) is held to atol x the volume (L) it is diluted in, i.e. atol in nM.
  const std::vector<double>& tolerance_scale() const { return tolerance_scale_; }
  // Per state, the level that would occupy half of the free receptors (in the state's unit;
  // 1 for occupancies, +inf for states that cannot reach the receptor).
  const std::vector<double>& half_occupancy_level() const { return half_occupancy_; }
  // The absolute tolerance of each state under `opt` (atol x tolerance_scale, or with
  // atol_occupancy set, atol_occupancy x half_occupancy_level where that is finite).
  std::vector<double> absolute_tolerance(const SolverOptions& opt) const;
  const std::vector<CompoundStates>& compounds() const { return compounds_; }
  const std::vector<const Binding*>& ligands() const { return ligands_; }
  std::size_t n_compounds() const { return compounds_.size(); }
  BindingMode binding_mode() const { return mode_; }
  bool has_operational_effect() const { return operational_effect_; }
  int eliminated_state() const { return eliminated_; }
  // Where an input to phase `phase` of formulation `formulation` goes.
  const std::vector<InputTarget>& input_targets(std::size_t formulation, std::size_t phase) const {
    return inputs_[formulation][phase];
  }

  // dx/dt = A x + u + binding(x); u holds zero-order input rates (nmol/h) for the segment.
  void rhs(const Eigen::VectorXd& x, const Eigen::VectorXd& u, Eigen::VectorXd& dxdt) const;
  // df/dx; A plus the binding block.
  void jacobian(const Eigen::VectorXd& x, Eigen::MatrixXd& jac) const;
  // (row, col) of every entry of the Jacobian that can be nonzero, whatever the state.
  const std::vector<std::pair<int, int>>& jacobian_nonzeros() const { return jacobian_nonzeros_; }
  // The Jacobian's values at x in the order of jacobian_nonzeros(), without forming the matrix.
  void jacobian_values(const Eigen::VectorXd& x, double* values) const;
  // The constant linear part (PK and brain equilibration).
  const Eigen::MatrixXd& linear_matrix() const { return a_dense_; }

  // Plasma and brain concentrations (nM), occupancy per compound, free receptor and effect
  // (NaN when the receptor model has no operational effect).
  void observe(const Eigen::VectorXd& x, double* plasma_nM, double* brain_nM, double* occupancy,
               double& free_receptor, double& effect) const;

 private:
  int add_state(const std::string& name, const std::string& unit, double tolerance_scale);
  void add_rate(int to, int from, double rate);  // flux rate*x[from] into `to` (to = -1: lost)

  std::vector<std::string> names_, units_;
  std::vector<double> tolerance_scale_;
  std::vector<double> half_occupancy_;
  std::vector<CompoundStates> compounds_;
  std::vector<double> inv_volume_;       // 1/V per compound
  std::vector<const Binding*> ligands_;  // receptor ligands, in binder order
  std::vector<int> ligand_brain_, ligand_occ_;
  std::vector<std::vector<std::vector<InputTarget>>> inputs_;  // [formulation][phase]
  struct Triplet {
    int row, col;
    double value;
  };
  std::vector<Triplet> a_;  // sparse A, for the right-hand side
  Eigen::MatrixXd a_dense_;
  std::vector<std::pair<int, int>> jacobian_nonzeros_;
  BindingMode mode_;
  double transducer_slope_;
  bool operational_effect_ = true;
  int eliminated_ = -1;
  std::vector<Binding> bindings_;  // owned copies that ligands_ point into
};

}  // namespace morsim
