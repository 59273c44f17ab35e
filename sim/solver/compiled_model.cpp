// Builds the state layout and the linear matrix from compounds and formulations.
#include "solver/compiled_model.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

#include "binding/competitive_binding.hpp"
#include "model/errors.hpp"

namespace morsim {

int CompiledModel::add_state(const std::string& name, const std::string& unit, double scale) {
  names_.push_back(name);
  tolerance_scale_.push_back(scale);
  units_.push_back(unit);
  return static_cast<int>(names_.size()) - 1;
}

CompiledModel::CompiledModel(const ScenarioSpec& spec, const CompileOptions& options)
    : mode_(spec.receptor.mode),
      transducer_slope_(spec.receptor.transducer_slope),
      operational_effect_(spec.receptor.operational_effect) {
  std::map<std::string, std::size_t> index;
  for (std::size_t k = 0; k < spec.compounds.size(); ++k) index[spec.compounds[k].name] = k;
  auto compound_index = [&](const std::string& name, const std::string& who) {
    auto it = index.find(name);
    if (it == index.end()) throw ModelError(who + ": unknown compound '" + name + "'");
    return it->second;
  };

  // Layout: per compound central, peripherals, brain, occupancy; then absorption chains.
  compounds_.resize(spec.compounds.size());
  bindings_.reserve(spec.compounds.size());
  for (std::size_t k = 0; k < spec.compounds.size(); ++k) {
    const Compound& c = spec.compounds[k];
    CompoundStates& s = compounds_[k];
    s.central = add_state(c.name + ".central", "nmol", c.central_volume_L);
    for (std::size_t p = 0; p < c.peripherals.size(); ++p)
      s.peripherals.push_back(
          add_state(c.name + ".peripheral" + std::to_string(p + 1), "nmol", c.central_volume_L));
    if (c.ke0_per_h > 0.0) s.brain = add_state(c.name + ".brain", "nM", 1.0);
    if (c.binds_receptor) {
      if (s.brain < 0)
        throw ModelError("compound '" + c.name +
                         "' binds the receptor but has no brain link (ke0)");
      s.binder = static_cast<int>(bindings_.size());
      bindings_.push_back(c.binding);
      if (mode_ == BindingMode::kKinetic) s.occupancy = add_state(c.name + ".occupancy", "1", 1.0);
    }
    inv_volume_.push_back(1.0 / c.central_volume_L);
  }
  if (bindings_.size() > kMaxLigands)
    throw ModelError("more than " + std::to_string(kMaxLigands) + " receptor ligands");
  for (std::size_t k = 0; k < compounds_.size(); ++k)
    if (compounds_[k].binder >= 0) {
      ligands_.push_back(&bindings_[static_cast<std::size_t>(compounds_[k].binder)]);
      ligand_brain_.push_back(compounds_[k].brain);
      ligand_occ_.push_back(compounds_[k].occupancy);
    }

  inputs_.resize(spec.formulations.size());
  std::vector<std::vector<std::vector<int>>> chains(spec.formulations.size());
  for (std::size_t f = 0; f < spec.formulations.size(); ++f) {
    const Formulation& form = spec.formulations[f];
    chains[f].resize(form.phases.size());
    inputs_[f].resize(form.phases.size());
    for (std::size_t p = 0; p < form.phases.size(); ++p) {
      const AbsorptionPhase& ph = form.phases[p];
      for (std::size_t j = 0; j < ph.transit_rates_per_h.size(); ++j) {
        std::string name =
            form.name + "." + (ph.name.empty() ? "phase" + std::to_string(p + 1) : ph.name);
        if (ph.transit_rates_per_h.size() > 1) name += "." + std::to_string(j + 1);
        const Compound* dosed = spec.find_compound(form.compound);
        chains[f][p].push_back(add_state(name, "nmol", dosed ? dosed->central_volume_L : 1.0));
      }
    }
  }
  if (options.track_eliminated) eliminated_ = add_state("eliminated", "nmol", 1.0);

  const int n = static_cast<int>(names_.size());
  a_dense_ = Eigen::MatrixXd::Zero(n, n);

  // Half-occupancy levels: for each compound the amount (nmol) that, all in plasma and at brain
  // equilibrium, would occupy half of the free receptors itself or through its metabolites.
  constexpr double kNever = std::numeric_limits<double>::infinity();
  std::vector<double> half_amount(spec.compounds.size(), kNever);
  for (std::size_t pass = 0; pass < spec.compounds.size(); ++pass)  // relaxation along links
    for (std::size_t k = 0; k < spec.compounds.size(); ++k) {
      const Compound& c = spec.compounds[k];
      double level =
          c.binds_receptor ? c.binding.kd_nM() * c.central_volume_L / c.brain_partition : kNever;
      for (const MetaboliteLink& m : c.metabolites)
        if (m.fraction > 0.0)
          level = std::min(level, half_amount[compound_index(m.metabolite, c.name)] / m.fraction);
      half_amount[k] = level;
    }
  half_occupancy_.assign(static_cast<std::size_t>(n), kNever);
  for (std::size_t k = 0; k < spec.compounds.size(); ++k) {
    const CompoundStates& s = compounds_[k];
    half_occupancy_[static_cast<std::size_t>(s.central)] = half_amount[k];
    for (int p : s.peripherals) half_occupancy_[static_cast<std::size_t>(p)] = half_amount[k];
    if (s.binder >= 0)
      half_occupancy_[static_cast<std::size_t>(s.brain)] = spec.compounds[k].binding.kd_nM();
    if (s.occupancy >= 0) half_occupancy_[static_cast<std::size_t>(s.occupancy)] = 1.0;
  }

  for (std::size_t k = 0; k < spec.compounds.size(); ++k) {
    const Compound& c = spec.compounds[k];
    const CompoundStates& s = compounds_[k];
    double formed = 0.0;
    for (const MetaboliteLink& m : c.metabolites) {
      const std::size_t mk = compound_index(m.metabolite, "compound '" + c.name + "'");
      add_rate(compounds_[mk].central, s.central, m.fraction * c.k_elim_per_h);
      formed += m.fraction;
    }
    add_rate(-1, s.central, std::max(0.0, 1.0 - formed) * c.k_elim_per_h);
    for (std::size_t p = 0; p < c.peripherals.size(); ++p) {
      add_rate(s.peripherals[p], s.central, c.peripherals[p].k_out_per_h);
      add_rate(s.central, s.peripherals[p], c.peripherals[p].k_in_per_h);
    }
    if (s.brain >= 0) {
      // The effect site carries no mass: dCe/dt = ke0 (Kp A/V - Ce).
      a_dense_(s.brain, s.central) += c.ke0_per_h * c.brain_partition * inv_volume_[k];
      a_dense_(s.brain, s.brain) -= c.ke0_per_h;
    }
  }

  for (std::size_t f = 0; f < spec.formulations.size(); ++f) {
    const Formulation& form = spec.formulations[f];
    const std::size_t ck = compound_index(form.compound, "formulation '" + form.name + "'");
    // Where material leaving the last chain compartment (or entering directly) goes.
    std::vector<InputTarget> exit;
    exit.push_back({compounds_[ck].central, form.bioavailability});
    double first_pass = 0.0;
    for (const FirstPassLink& fp : form.first_pass) {
      const std::size_t mk = compound_index(fp.metabolite, "formulation '" + form.name + "'");
      exit.push_back({compounds_[mk].central, (1.0 - form.bioavailability) * fp.fraction});
      first_pass += fp.fraction;
    }
    const double lost = (1.0 - form.bioavailability) * std::max(0.0, 1.0 - first_pass);
    if (eliminated_ >= 0 && lost > 0.0) exit.push_back({eliminated_, lost});

    for (std::size_t p = 0; p < form.phases.size(); ++p) {
      const std::vector<int>& chain = chains[f][p];
      const std::vector<double>& rates = form.phases[p].transit_rates_per_h;
      double chain_level = kNever;  // a depot amount matters through what it releases
      for (const InputTarget& t : exit)
        if (t.factor > 0.0)
          chain_level =
              std::min(chain_level, half_occupancy_[static_cast<std::size_t>(t.state)] / t.factor);
      for (int q : chain) half_occupancy_[static_cast<std::size_t>(q)] = chain_level;
      if (chain.empty()) {
        inputs_[f][p] = exit;
        continue;
      }
      inputs_[f][p] = {{chain.front(), 1.0}};
      for (std::size_t j = 0; j + 1 < chain.size(); ++j) add_rate(chain[j + 1], chain[j], rates[j]);
      const int last = chain.back();
      const double k = rates.back();
      a_dense_(last, last) -= k;
      for (const InputTarget& t : exit) a_dense_(t.state, last) += t.factor * k;
    }
  }

  for (int j = 0; j < n; ++j)
    for (int i = 0; i < n; ++i)
      if (a_dense_(i, j) != 0.0) a_.push_back({i, j, a_dense_(i, j)});
  for (const Triplet& t : a_) jacobian_nonzeros_.emplace_back(t.row, t.col);
  if (mode_ == BindingMode::kKinetic)
    for (std::size_t i = 0; i < ligand_occ_.size(); ++i) {
      // Association depends on the brain concentration and on the free receptor.
      jacobian_nonzeros_.emplace_back(ligand_occ_[i], ligand_brain_[i]);
      for (int oj : ligand_occ_) jacobian_nonzeros_.emplace_back(ligand_occ_[i], oj);
    }
}

std::vector<double> CompiledModel::absolute_tolerance(const SolverOptions& opt) const {
  std::vector<double> atol(size());
  for (std::size_t i = 0; i < atol.size(); ++i)
    atol[i] = opt.atol_occupancy > 0.0 && std::isfinite(half_occupancy_[i])
                  ? opt.atol_occupancy * half_occupancy_[i]
                  : opt.atol * tolerance_scale_[i];
  return atol;
}

void CompiledModel::add_rate(int to, int from, double rate) {
  if (rate == 0.0) return;
  a_dense_(from, from) -= rate;
  if (to >= 0)
    a_dense_(to, from) += rate;
  else if (eliminated_ >= 0)
    a_dense_(eliminated_, from) += rate;
}

void CompiledModel::rhs(const Eigen::VectorXd& x, const Eigen::VectorXd& u,
                        Eigen::VectorXd& dxdt) const {
  dxdt = u;
  for (const Triplet& t : a_) dxdt[t.row] += t.value * x[t.col];
  if (mode_ != BindingMode::kKinetic) return;
  double bound = 0.0;
  for (int o : ligand_occ_) bound += x[o];
  const double free = 1.0 - bound;  // receptor conservation
  for (std::size_t i = 0; i < ligands_.size(); ++i) {
    const Binding& b = *ligands_[i];
    const int o = ligand_occ_[i];
    dxdt[o] += association_rate_per_h(b, x[ligand_brain_[i]]) * free - b.koff_per_h * x[o];
  }
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
  // Same order as jacobian_nonzeros_: the constant linear part, then per ligand its brain
  // column and the occupancy columns.
  for (const Triplet& t : a_) *values++ = t.value;
  if (mode_ != BindingMode::kKinetic) return;
  double bound = 0.0;
  for (int o : ligand_occ_) bound += x[o];
  const double free = 1.0 - bound;
  for (std::size_t i = 0; i < ligands_.size(); ++i) {
    const Binding& b = *ligands_[i];
    const double assoc = association_rate_per_h(b, x[ligand_brain_[i]]);
    *values++ = association_rate_derivative(b, x[ligand_brain_[i]]) * free;
    for (std::size_t j = 0; j < ligand_occ_.size(); ++j)
      *values++ = -assoc - (j == i ? b.koff_per_h : 0.0);
  }
}

void CompiledModel::observe(const Eigen::VectorXd& x, double* plasma_nM, double* brain_nM,
                            double* occupancy, double& free_receptor, double& effect) const {
  double ce[kMaxLigands], occ[kMaxLigands];
  const std::size_t nl = ligands_.size();
  for (std::size_t k = 0; k < compounds_.size(); ++k) {
    const CompoundStates& s = compounds_[k];
    plasma_nM[k] = x[s.central] * inv_volume_[k];
    brain_nM[k] = s.brain >= 0 ? x[s.brain] : 0.0;
    occupancy[k] = 0.0;
  }
  for (std::size_t i = 0; i < nl; ++i) ce[i] = x[ligand_brain_[i]];
  if (mode_ == BindingMode::kKinetic) {
    for (std::size_t i = 0; i < nl; ++i) occ[i] = x[ligand_occ_[i]];
  } else {
    equilibrium_occupancy(ligands_, ce, occ);
  }
  double bound = 0.0;
  for (std::size_t k = 0; k < compounds_.size(); ++k)
    if (compounds_[k].binder >= 0) {
      occupancy[k] = occ[compounds_[k].binder];
      bound += occupancy[k];
    }
  free_receptor = 1.0 - bound;
  effect = operational_effect_ ? operational_effect(ligands_, occ, transducer_slope_)
                               : std::numeric_limits<double>::quiet_NaN();
}

}  // namespace morsim
