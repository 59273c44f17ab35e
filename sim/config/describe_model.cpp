// `morsim show`: the model written out for a student, from the checked ScenarioSpec.
#include <iomanip>
#include <sstream>

#include "config/load_scenario.hpp"
#include "units/units.hpp"

namespace morsim {
namespace {

// Six significant digits: for reading; the parameter table below keeps the values as written.
std::string num(double v) {
  std::ostringstream os;
  os << std::setprecision(6) << v;
  return os.str();
}
std::string q(double v, const ExpectedDimension& d) {
  return d.internal_unit().empty() ? num(v) : num(v) + " " + d.internal_unit();
}

void describe_compound(std::ostringstream& os, const Compound& c) {
  os << "  " << c.name << " (" << q(c.molar_mass_g_per_mol, dim::molar_mass()) << ")";
  if (c.binds_receptor) os << (c.is_agonist() ? ", agonist" : ", antagonist") << " at the receptor";
  os << "\n    V = " << q(c.central_volume_L, dim::volume())
     << ", k = " << q(c.k_elim_per_h, dim::rate()) << " (t1/2 "
     << q(0.69314718055994530942 / c.k_elim_per_h, dim::time()) << ")\n";
  for (std::size_t i = 0; i < c.peripherals.size(); ++i)
    os << "    peripheral " << i + 1 << ": k12 = " << q(c.peripherals[i].k_out_per_h, dim::rate())
       << ", k21 = " << q(c.peripherals[i].k_in_per_h, dim::rate()) << "\n";
  for (const MetaboliteLink& m : c.metabolites)
    os << "    forms " << m.metabolite << ": fraction " << num(m.fraction)
       << " of its elimination\n";
  if (c.ke0_per_h > 0.0)
    os << "    brain: ke0 = " << q(c.ke0_per_h, dim::rate()) << ", Kp = " << num(c.brain_partition)
       << "\n";
  if (c.binds_receptor)
    os << "    binding: kon = " << q(c.binding.kon_per_nM_n_per_h, dim::kon(c.binding.hill_n))
       << ", koff = " << q(c.binding.koff_per_h, dim::rate()) << ", n = " << num(c.binding.hill_n)
       << ", tau = " << num(c.binding.tau) << "\n";
}

void describe_equations(std::ostringstream& os, const ScenarioSpec& spec) {
  os << "\nState variables and equations (amounts A in nmol, concentrations in nM, time in h)\n";
  for (const Formulation& f : spec.formulations)
    for (const AbsorptionPhase& ph : f.phases)
      for (std::size_t j = 0; j < ph.transit_rates_per_h.size(); ++j)
        os << "  d" << f.name << "." << ph.name << "[" << j << "]/dt = input - "
           << num(ph.transit_rates_per_h[j]) << " * " << f.name << "." << ph.name << "[" << j << "]"
           << (j + 1 == ph.transit_rates_per_h.size() ? "   (drains into central, times F)\n"
                                                      : "\n");
  for (const Compound& c : spec.compounds) {
    const std::string a = "A_" + c.name;
    os << "  d" << a << "/dt = inputs";
    for (const Compound& p : spec.compounds)
      for (const MetaboliteLink& m : p.metabolites)
        if (m.metabolite == c.name)
          os << " + " << num(m.fraction) << " * k_" << p.name << " * A_" << p.name;
    os << " - k_" << c.name << " * " << a;
    for (std::size_t i = 0; i < c.peripherals.size(); ++i)
      os << " - k12_" << i + 1 << " * " << a << " + k21_" << i + 1 << " * P" << i + 1 << "_"
         << c.name;
    os << "\n  C_" << c.name << " = " << a << " / V_" << c.name << "\n";
    for (std::size_t i = 0; i < c.peripherals.size(); ++i)
      os << "  dP" << i + 1 << "_" << c.name << "/dt = k12_" << i + 1 << " * " << a << " - k21_"
         << i + 1 << " * P" << i + 1 << "_" << c.name << "\n";
    if (c.ke0_per_h > 0.0)
      os << "  dCe_" << c.name << "/dt = ke0 * (Kp * C_" << c.name << " - Ce_" << c.name << ")\n";
    if (c.binds_receptor)
      os << "  dθ_" << c.name << "/dt = kon * Ce_" << c.name << "^n * (1 - Σθ) - koff * θ_"
         << c.name << "\n";
  }
  if (spec.receptor.operational_effect)
    os << "  effect = (Σ τ_i θ_i)^nT / (1 + (Σ τ_i θ_i)^nT),  nT = "
       << num(spec.receptor.transducer_slope) << ", binding ";
  else
    os << "  effect: not modelled (receptor.operational_effect = false), binding ";
  os << (spec.receptor.mode == BindingMode::kKinetic ? "kinetic" : "at equilibrium") << "\n";
}

// One dose record in words, with the NONMEM event it stands for (docs/config.md).
std::string describe_dose(const DoseRecord& d) {
  std::ostringstream os;
  const std::string at = " at " + q(d.time_h, dim::time());
  if (d.reset && d.formulation.empty()) return "reset: every state to zero" + at + " (EVID 3)";
  if (d.reset) os << "reset, then ";
  if (d.rate_mg_per_h > 0.0 && d.amount_mg == 0.0) {
    os << "constant infusion of " << d.formulation << " at " << num(d.rate_mg_per_h) << " mg/h"
       << (d.steady_state_add ? ", its steady state added" : ", at its steady state") << at
       << " to the end of the run";
  } else {
    os << num(d.amount_mg) << " mg " << d.formulation << at;
    if (d.addl > 0) os << ", then " << d.addl << " more every " << q(d.ii_h, dim::time());
    if (d.duration_h >= 0.0) os << ", over " << q(d.duration_h, dim::time());
    if (d.steady_state_add)
      os << ", the steady state of one every " << q(d.ii_h, dim::time()) << " added";
    else if (d.steady_state)
      os << ", starting at the steady state of one every " << q(d.ii_h, dim::time());
    for (int i : d.missed) os << ", dose " << i << " missed";
    for (const DoseDelay& l : d.delays)
      os << ", dose " << l.index << " late by " << q(l.delay_h, dim::time());
  }
  const int ss = d.steady_state_add ? 2 : d.steady_state ? 1 : 0;
  os << " (EVID " << (d.reset ? 4 : 1);
  if (ss > 0) os << ", SS " << ss;
  os << ")";
  return os.str();
}

}  // namespace

std::string describe_model(const ScenarioSpec& spec) {
  std::ostringstream os;
  os << "Scenario " << spec.name << "\n";
  if (!spec.description.empty()) os << "  " << spec.description << "\n";
  os << "\nCompounds\n";
  for (const Compound& c : spec.compounds) describe_compound(os, c);
  os << "\nFormulations\n";
  for (const Formulation& f : spec.formulations) {
    os << "  " << f.name << ": " << f.compound << ", route " << f.route
       << ", F = " << num(f.bioavailability);
    if (f.dosed_molar_mass_g_per_mol > 0.0)
      os << ", dosed as " << q(f.dosed_molar_mass_g_per_mol, dim::molar_mass());
    os << "\n";
    for (const FirstPassLink& l : f.first_pass)
      os << "    first pass: " << num(l.fraction) << " of (1 - F) becomes " << l.metabolite << "\n";
    for (const AbsorptionPhase& ph : f.phases) {
      os << "    phase " << ph.name << ": fraction " << num(ph.fraction);
      if (ph.lag_h > 0.0) os << ", lag " << q(ph.lag_h, dim::time());
      if (ph.duration_h > 0.0) os << ", zero-order over " << q(ph.duration_h, dim::time());
      os << (ph.transit_rates_per_h.empty() ? ", straight into central" : ", chain of rates");
      for (double k : ph.transit_rates_per_h) os << " " << q(k, dim::rate());
      os << "\n";
    }
  }
  describe_equations(os, spec);
  os << "\nParameters (value as written; * = overridden)\n";
  for (const ParameterSource& p : spec.sources)
    os << (p.overridden ? "* " : "  ") << p.path << " = " << p.value << "  ["
       << (p.source.empty() ? "no source" : p.source) << "]\n";
  os << "\nArms (output " << q(spec.grid.t_start_h, dim::time()) << " to "
     << q(spec.grid.t_end_h, dim::time()) << " every " << q(spec.grid.dt_h, dim::time()) << ")\n";
  for (const Arm& a : spec.arms) {
    os << "  " << a.name << "\n";
    for (const DoseRecord& d : a.doses) os << "    " << describe_dose(d) << "\n";
  }
  return os.str();
}

}  // namespace morsim
