// Joins the linear pharmacokinetics and the receptor block into one right-hand side.
#include "solver/compiled_model.hpp"

#include <cmath>

namespace morsim {

namespace {

PkLayoutOptions layout_options(const ScenarioSpec& spec, const CompileOptions& options) {
  PkLayoutOptions o;
  o.track_eliminated = options.track_eliminated;
  o.occupancy_states = spec.receptor.mode == BindingMode::kKinetic;
  return o;
}

}  // namespace

CompiledModel::CompiledModel(const ScenarioSpec& spec, const CompileOptions& options)
    : pk_(assemble_linear_pk(spec, layout_options(spec, options))), binding_(spec, pk_.compounds) {
  for (const LinearPk::Entry& e : pk_.a) jacobian_nonzeros_.emplace_back(e.row, e.col);
  binding_.append_jacobian_nonzeros(jacobian_nonzeros_);
  const auto n = static_cast<Eigen::Index>(size());
  a_dense_ = Eigen::MatrixXd::Zero(n, n);
  for (const LinearPk::Entry& e : pk_.a) a_dense_(e.row, e.col) += e.value;
}

std::vector<double> CompiledModel::absolute_tolerance(const SolverOptions& opt) const {
  std::vector<double> atol(size());
  for (std::size_t i = 0; i < atol.size(); ++i)
    atol[i] = opt.atol_occupancy > 0.0 && std::isfinite(pk_.half_occupancy[i])
                  ? opt.atol_occupancy * pk_.half_occupancy[i]
                  : opt.atol * pk_.tolerance_scale[i];
  return atol;
}

void CompiledModel::rhs(const Eigen::VectorXd& x, const Eigen::VectorXd& u,
                        Eigen::VectorXd& dxdt) const {
  dxdt = u;
  for (const LinearPk::Entry& e : pk_.a) dxdt[e.row] += e.value * x[e.col];
  binding_.add_rates(x, dxdt);
}

void CompiledModel::jacobian(const Eigen::VectorXd& x, Eigen::MatrixXd& jac) const {
  std::vector<double> values(jacobian_nonzeros_.size());
  jacobian_values(x, values.data());
  const auto n = static_cast<Eigen::Index>(size());
  jac.setZero(n, n);
  for (std::size_t k = 0; k < values.size(); ++k)
    jac(jacobian_nonzeros_[k].first, jacobian_nonzeros_[k].second) += values[k];
}

void CompiledModel::jacobian_values(const Eigen::VectorXd& x, double* values) const {
  // Same order as jacobian_nonzeros_: the constant linear part, then the binding block.
  for (const LinearPk::Entry& e : pk_.a) *values++ = e.value;
  binding_.jacobian_values(x, values);
}

void CompiledModel::observe(const Eigen::VectorXd& x, double* plasma_nM, double* brain_nM,
                            double* occupancy, double& free_receptor, double& effect) const {
  double theta[ReceptorBinding::kMaxLigands];
  for (std::size_t k = 0; k < pk_.compounds.size(); ++k) {
    const CompoundStates& s = pk_.compounds[k];
    plasma_nM[k] = x[s.central] * pk_.inv_volume_per_L[k];
    brain_nM[k] = s.brain >= 0 ? x[s.brain] : 0.0;
    occupancy[k] = 0.0;
  }
  binding_.occupancy(x, theta);
  double bound = 0.0;
  for (std::size_t k = 0; k < pk_.compounds.size(); ++k)
    if (pk_.compounds[k].binder >= 0) {
      occupancy[k] = theta[pk_.compounds[k].binder];
      bound += occupancy[k];
    }
  free_receptor = 1.0 - bound;
  effect = binding_.effect(theta);
}

}  // namespace morsim
