// Competitive kinetic binding of several ligands to one receptor population.
#include "binding/receptor_binding.hpp"

#include <limits>
#include <string>

#include "binding/competitive_binding.hpp"
#include "model/errors.hpp"

namespace morsim {

ReceptorBinding::ReceptorBinding(const ScenarioSpec& spec,
                                 const std::vector<CompoundStates>& layout)
    : mode_(spec.receptor.mode),
      transducer_slope_(spec.receptor.transducer_slope),
      operational_effect_(spec.receptor.operational_effect) {
  for (std::size_t k = 0; k < layout.size(); ++k)
    if (layout[k].binder >= 0) {
      bindings_.push_back(spec.compounds[k].binding);
      brain_.push_back(layout[k].brain);
      occ_.push_back(layout[k].occupancy);
    }
  if (bindings_.size() > kMaxLigands)
    throw ModelError("more than " + std::to_string(kMaxLigands) + " receptor ligands");
  for (const Binding& b : bindings_) ligands_.push_back(&b);
}

void ReceptorBinding::add_rates(const Eigen::VectorXd& x, Eigen::VectorXd& dxdt) const {
  if (mode_ != BindingMode::kKinetic) return;
  double bound = 0.0;
  for (int o : occ_) bound += x[o];
  const double free = 1.0 - bound;  // receptor conservation
  for (std::size_t i = 0; i < ligands_.size(); ++i) {
    const Binding& b = *ligands_[i];
    const int o = occ_[i];
    dxdt[o] += association_rate_per_h(b, x[brain_[i]]) * free - b.koff_per_h * x[o];
  }
}

void ReceptorBinding::append_jacobian_nonzeros(std::vector<std::pair<int, int>>& nonzeros) const {
  if (mode_ != BindingMode::kKinetic) return;
  for (std::size_t i = 0; i < occ_.size(); ++i) {
    // Association depends on the brain concentration and on the free receptor.
    nonzeros.emplace_back(occ_[i], brain_[i]);
    for (int oj : occ_) nonzeros.emplace_back(occ_[i], oj);
  }
}

double* ReceptorBinding::jacobian_values(const Eigen::VectorXd& x, double* values) const {
  if (mode_ != BindingMode::kKinetic) return values;
  double bound = 0.0;
  for (int o : occ_) bound += x[o];
  const double free = 1.0 - bound;
  for (std::size_t i = 0; i < ligands_.size(); ++i) {
    const Binding& b = *ligands_[i];
    const double assoc = association_rate_per_h(b, x[brain_[i]]);
    *values++ = association_rate_derivative(b, x[brain_[i]]) * free;
    for (std::size_t j = 0; j < occ_.size(); ++j)
      *values++ = -assoc - (j == i ? b.koff_per_h : 0.0);
  }
  return values;
}

void ReceptorBinding::equilibrate(Eigen::VectorXd& x) const {
  if (mode_ != BindingMode::kKinetic) return;
  double ce[kMaxLigands], theta[kMaxLigands];
  for (std::size_t i = 0; i < ligands_.size(); ++i) ce[i] = x[brain_[i]];
  equilibrium_occupancy(ligands_, ce, theta);
  for (std::size_t i = 0; i < ligands_.size(); ++i) x[occ_[i]] = theta[i];
}

void ReceptorBinding::occupancy(const Eigen::VectorXd& x, double* theta) const {
  if (mode_ == BindingMode::kKinetic) {
    for (std::size_t i = 0; i < ligands_.size(); ++i) theta[i] = x[occ_[i]];
    return;
  }
  double ce[kMaxLigands];
  for (std::size_t i = 0; i < ligands_.size(); ++i) ce[i] = x[brain_[i]];
  equilibrium_occupancy(ligands_, ce, theta);
}

double ReceptorBinding::effect(const double* theta) const {
  return operational_effect_ ? operational_effect(ligands_, theta, transducer_slope_)
                             : std::numeric_limits<double>::quiet_NaN();
}

}  // namespace morsim
