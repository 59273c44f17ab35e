// Small models with closed-form solutions, built in code for the numeric tests.
#pragma once

#include <string>
#include <vector>

#include "model/scenario.hpp"

namespace morsim::testing {

// Molar mass 1e6 g/mol makes 1 mg exactly 1 nmol, so doses read as amounts.
constexpr double kUnitMolarMass = 1e6;

inline Compound simple_compound(const std::string& name, double v_L, double k_per_h) {
  Compound c;
  c.name = name;
  c.molar_mass_g_per_mol = kUnitMolarMass;
  c.central_volume_L = v_L;
  c.k_elim_per_h = k_per_h;
  return c;
}

inline Compound binding_compound(const std::string& name, double v_L, double k_per_h, double ke0,
                                 double kon, double koff, double tau) {
  Compound c = simple_compound(name, v_L, k_per_h);
  c.ke0_per_h = ke0;
  c.binds_receptor = true;
  c.binding.kon_per_nM_n_per_h = kon;
  c.binding.koff_per_h = koff;
  c.binding.tau = tau;
  return c;
}

inline Formulation simple_formulation(const std::string& name, const std::string& compound,
                                      std::vector<double> chain = {}, double f = 1.0,
                                      double lag_h = 0.0, double duration_h = 0.0) {
  Formulation fo;
  fo.name = name;
  fo.compound = compound;
  fo.route = chain.empty() ? (duration_h > 0 ? "iv-infusion" : "iv") : "oral";
  fo.bioavailability = f;
  fo.phases = {AbsorptionPhase{"input", 1.0, lag_h, duration_h, std::move(chain)}};
  return fo;
}

inline ScenarioSpec one_arm(std::vector<Compound> compounds, std::vector<Formulation> forms,
                            std::vector<DoseRecord> doses, double t_end_h, double dt_h,
                            double rtol = 1e-9, double atol = 1e-12) {
  ScenarioSpec s;
  s.name = "test";
  s.compounds = std::move(compounds);
  s.formulations = std::move(forms);
  Arm arm;
  arm.name = "arm";
  arm.doses = std::move(doses);
  s.arms = {arm};
  s.grid.t_start_h = 0.0;
  s.grid.t_end_h = t_end_h;
  s.grid.dt_h = dt_h;
  s.solver.rtol = rtol;
  s.solver.atol = atol;
  return s;
}

}  // namespace morsim::testing
