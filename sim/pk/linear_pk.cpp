// Builds the state layout and the linear matrix from compounds and formulations.
#include "pk/linear_pk.hpp"

#include <Eigen/Dense>
#include <algorithm>
#include <limits>
#include <map>

#include "model/errors.hpp"

namespace morsim {

namespace {

class Assembler {
 public:
  Assembler(const ScenarioSpec& spec, const PkLayoutOptions& options, LinearPk& out)
      : spec_(spec), options_(options), out_(out) {
    for (std::size_t k = 0; k < spec.compounds.size(); ++k) index_[spec.compounds[k].name] = k;
  }

  void run() {
    lay_out_compounds();
    lay_out_chains();
    if (options_.track_eliminated) out_.eliminated = add_state("eliminated", "nmol", 1.0);
    const int n = static_cast<int>(out_.size());
    a_ = Eigen::MatrixXd::Zero(n, n);
    half_occupancy_levels();
    disposition();
    absorption();
    for (int j = 0; j < n; ++j)
      for (int i = 0; i < n; ++i)
        if (a_(i, j) != 0.0) out_.a.push_back({i, j, a_(i, j)});
  }

 private:
  std::size_t compound_index(const std::string& name, const std::string& who) const {
    auto it = index_.find(name);
    if (it == index_.end()) throw ModelError(who + ": unknown compound '" + name + "'");
    return it->second;
  }

  int add_state(const std::string& name, const std::string& unit, double scale) {
    out_.names.push_back(name);
    out_.tolerance_scale.push_back(scale);
    out_.units.push_back(unit);
    return static_cast<int>(out_.names.size()) - 1;
  }

  // Flux rate * x[from] into `to` (to = -1: lost, into the eliminated state when tracked).
  void add_rate(int to, int from, double rate) {
    if (rate == 0.0) return;
    a_(from, from) -= rate;
    if (to >= 0)
      a_(to, from) += rate;
    else if (out_.eliminated >= 0)
      a_(out_.eliminated, from) += rate;
  }

  // Per compound central, peripherals, brain, occupancy.
  void lay_out_compounds() {
    out_.compounds.resize(spec_.compounds.size());
    int binders = 0;
    for (std::size_t k = 0; k < spec_.compounds.size(); ++k) {
      const Compound& c = spec_.compounds[k];
      CompoundStates& s = out_.compounds[k];
      s.central = add_state(c.name + ".central", "nmol", c.central_volume_L);
      for (std::size_t p = 0; p < c.peripherals.size(); ++p)
        s.peripherals.push_back(
            add_state(c.name + ".peripheral" + std::to_string(p + 1), "nmol", c.central_volume_L));
      if (c.ke0_per_h > 0.0) s.brain = add_state(c.name + ".brain", "nM", 1.0);
      if (c.binds_receptor) {
        if (s.brain < 0)
          throw ModelError("compound '" + c.name +
                           "' binds the receptor but has no brain link (ke0)");
        s.binder = binders++;
        if (options_.occupancy_states) s.occupancy = add_state(c.name + ".occupancy", "1", 1.0);
      }
      out_.inv_volume_per_L.push_back(1.0 / c.central_volume_L);
    }
  }

  // The absorption chains, after every compound.
  void lay_out_chains() {
    out_.inputs.resize(spec_.formulations.size());
    chains_.resize(spec_.formulations.size());
    for (std::size_t f = 0; f < spec_.formulations.size(); ++f) {
      const Formulation& form = spec_.formulations[f];
      chains_[f].resize(form.phases.size());
      out_.inputs[f].resize(form.phases.size());
      for (std::size_t p = 0; p < form.phases.size(); ++p) {
        const AbsorptionPhase& ph = form.phases[p];
        for (std::size_t j = 0; j < ph.transit_rates_per_h.size(); ++j) {
          std::string name =
              form.name + "." + (ph.name.empty() ? "phase" + std::to_string(p + 1) : ph.name);
          if (ph.transit_rates_per_h.size() > 1) name += "." + std::to_string(j + 1);
          const Compound* dosed = spec_.find_compound(form.compound);
          chains_[f][p].push_back(add_state(name, "nmol", dosed ? dosed->central_volume_L : 1.0));
        }
      }
    }
  }

  // For each compound the amount (nmol) that, all in plasma and at brain equilibrium, would
  // occupy half of the free receptors itself or through its metabolites.
  void half_occupancy_levels() {
    constexpr double kNever = std::numeric_limits<double>::infinity();
    half_amount_.assign(spec_.compounds.size(), kNever);
    for (std::size_t pass = 0; pass < spec_.compounds.size(); ++pass)  // relaxation along links
      for (std::size_t k = 0; k < spec_.compounds.size(); ++k) {
        const Compound& c = spec_.compounds[k];
        double level =
            c.binds_receptor ? c.binding.kd_nM() * c.central_volume_L / c.brain_partition : kNever;
        for (const MetaboliteLink& m : c.metabolites)
          if (m.fraction > 0.0)
            level =
                std::min(level, half_amount_[compound_index(m.metabolite, c.name)] / m.fraction);
        half_amount_[k] = level;
      }
    out_.half_occupancy.assign(out_.size(), kNever);
    for (std::size_t k = 0; k < spec_.compounds.size(); ++k) {
      const CompoundStates& s = out_.compounds[k];
      out_.half_occupancy[static_cast<std::size_t>(s.central)] = half_amount_[k];
      for (int p : s.peripherals)
        out_.half_occupancy[static_cast<std::size_t>(p)] = half_amount_[k];
      if (s.binder >= 0)
        out_.half_occupancy[static_cast<std::size_t>(s.brain)] = spec_.compounds[k].binding.kd_nM();
      if (s.occupancy >= 0) out_.half_occupancy[static_cast<std::size_t>(s.occupancy)] = 1.0;
    }
  }

  // Elimination, metabolite formation, distribution and the brain link.
  void disposition() {
    for (std::size_t k = 0; k < spec_.compounds.size(); ++k) {
      const Compound& c = spec_.compounds[k];
      const CompoundStates& s = out_.compounds[k];
      double formed = 0.0;
      for (const MetaboliteLink& m : c.metabolites) {
        const std::size_t mk = compound_index(m.metabolite, "compound '" + c.name + "'");
        add_rate(out_.compounds[mk].central, s.central, m.fraction * c.k_elim_per_h);
        formed += m.fraction;
      }
      add_rate(-1, s.central, std::max(0.0, 1.0 - formed) * c.k_elim_per_h);
      for (std::size_t p = 0; p < c.peripherals.size(); ++p) {
        add_rate(s.peripherals[p], s.central, c.peripherals[p].k_out_per_h);
        add_rate(s.central, s.peripherals[p], c.peripherals[p].k_in_per_h);
      }
      if (s.brain >= 0) {
        // The effect site carries no mass: dCe/dt = ke0 (Kp A/V - Ce).
        a_(s.brain, s.central) += c.ke0_per_h * c.brain_partition * out_.inv_volume_per_L[k];
        a_(s.brain, s.brain) -= c.ke0_per_h;
      }
    }
  }

  // Transit chains, bioavailability and first-pass metabolism.
  void absorption() {
    constexpr double kNever = std::numeric_limits<double>::infinity();
    for (std::size_t f = 0; f < spec_.formulations.size(); ++f) {
      const Formulation& form = spec_.formulations[f];
      const std::size_t ck = compound_index(form.compound, "formulation '" + form.name + "'");
      // Where material leaving the last chain compartment (or entering directly) goes.
      std::vector<InputTarget> exit;
      exit.push_back({out_.compounds[ck].central, form.bioavailability});
      double first_pass = 0.0;
      for (const FirstPassLink& fp : form.first_pass) {
        const std::size_t mk = compound_index(fp.metabolite, "formulation '" + form.name + "'");
        exit.push_back({out_.compounds[mk].central, (1.0 - form.bioavailability) * fp.fraction});
        first_pass += fp.fraction;
      }
      const double lost = (1.0 - form.bioavailability) * std::max(0.0, 1.0 - first_pass);
      if (out_.eliminated >= 0 && lost > 0.0) exit.push_back({out_.eliminated, lost});

      for (std::size_t p = 0; p < form.phases.size(); ++p) {
        const std::vector<int>& chain = chains_[f][p];
        const std::vector<double>& rates = form.phases[p].transit_rates_per_h;
        double chain_level = kNever;  // a depot amount matters through what it releases
        for (const InputTarget& t : exit)
          if (t.factor > 0.0)
            chain_level = std::min(
                chain_level, out_.half_occupancy[static_cast<std::size_t>(t.state)] / t.factor);
        for (int q : chain) out_.half_occupancy[static_cast<std::size_t>(q)] = chain_level;
        if (chain.empty()) {
          out_.inputs[f][p] = exit;
          continue;
        }
        out_.inputs[f][p] = {{chain.front(), 1.0}};
        for (std::size_t j = 0; j + 1 < chain.size(); ++j)
          add_rate(chain[j + 1], chain[j], rates[j]);
        const int last = chain.back();
        const double k = rates.back();
        a_(last, last) -= k;
        for (const InputTarget& t : exit) a_(t.state, last) += t.factor * k;
      }
    }
  }

  const ScenarioSpec& spec_;
  const PkLayoutOptions& options_;
  LinearPk& out_;
  std::map<std::string, std::size_t> index_;
  std::vector<std::vector<std::vector<int>>> chains_;  // [formulation][phase] states
  std::vector<double> half_amount_;                    // nmol, per compound
  Eigen::MatrixXd a_;
};

}  // namespace

LinearPk assemble_linear_pk(const ScenarioSpec& spec, const PkLayoutOptions& options) {
  LinearPk out;
  Assembler(spec, options, out).run();
  return out;
}

}  // namespace morsim
