// The reference problem ref-v1 (docs/reference-model.md) built in code through the public
// model, independently of the TOML configs, so both can be checked against each other.
#pragma once

#include <string>
#include <vector>

#include "model/scenario.hpp"

namespace morsim::testing {

inline Compound ref_v1_compound(const std::string& name, double mw, double v, double k, double ke0,
                                double kon, double koff, double tau) {
  Compound c;
  c.name = name;
  c.molar_mass_g_per_mol = mw;
  c.central_volume_L = v;
  c.k_elim_per_h = k;
  c.ke0_per_h = ke0;
  c.binds_receptor = true;
  c.binding.kon_per_nM_n_per_h = kon;
  c.binding.koff_per_h = koff;
  c.binding.tau = tau;
  return c;
}

// Heroin H, 6-MAM M, morphine O, naltrexone N, 6-beta-naltrexol X with the ref-v1 values.
inline ScenarioSpec ref_v1_base() {
  ScenarioSpec s;
  s.name = "ref-v1";
  Compound h = ref_v1_compound("heroin", 369.41, 140, 13.9, 10, 12, 60, 1.0);
  h.metabolites = {{"6-MAM", 1.0}};
  Compound m = ref_v1_compound("6-MAM", 327.37, 300, 2.3, 6, 30, 30, 1.0);
  m.metabolites = {{"morphine", 1.0}};
  Compound o = ref_v1_compound("morphine", 285.34, 250, 0.28, 0.25, 16.7, 20, 1.0);
  Compound n = ref_v1_compound("naltrexone", 341.41, 1350, 0.17, 2, 6, 1.2, 0.0);
  n.metabolites = {{"6-beta-naltrexol", 0.9}};
  Compound x = ref_v1_compound("6-beta-naltrexol", 343.42, 1000, 0.053, 0.5, 3, 6, 0.0);
  s.compounds = {h, m, o, n, x};

  Formulation iv;
  iv.name = "heroin-iv";
  iv.compound = "heroin";
  iv.route = "iv";
  iv.phases = {AbsorptionPhase{"bolus", 1.0, 0.0, 0.0, {}}};
  Formulation oral;
  oral.name = "naltrexone-oral";
  oral.compound = "naltrexone";
  oral.route = "oral";
  oral.bioavailability = 0.2;
  oral.first_pass = {{"6-beta-naltrexol", 0.8}};
  oral.phases = {AbsorptionPhase{"gut", 1.0, 0.0, 0.0, {1.2}}};
  Formulation depot;
  depot.name = "naltrexone-depot";
  depot.compound = "naltrexone";
  depot.route = "im-depot";
  depot.phases = {AbsorptionPhase{"burst", 0.05, 0.0, 0.0, {0.5}},
                  AbsorptionPhase{"slow", 0.95, 0.0, 0.0, {0.0044}}};
  s.formulations = {iv, oral, depot};
  s.grid.t_start_h = 0.0;
  s.grid.dt_h = 0.1;
  return s;
}

inline DoseRecord dose(const std::string& formulation, double mg, double t_h, int addl = 0,
                       double ii_h = 0.0) {
  DoseRecord r;
  r.formulation = formulation;
  r.amount_mg = mg;
  r.time_h = t_h;
  r.addl = addl;
  r.ii_h = ii_h;
  return r;
}

enum class RefScenario { kDepot, kOral, kControl };

inline ScenarioSpec ref_v1(RefScenario which) {
  ScenarioSpec s = ref_v1_base();
  Arm arm;
  switch (which) {
    case RefScenario::kDepot:
      s.name = "ref-v1-depot";
      s.grid.t_end_h = 720;
      arm.doses = {dose("naltrexone-depot", 380, 0), dose("heroin-iv", 25, 24),
                   dose("heroin-iv", 25, 168, 3, 168)};
      break;
    case RefScenario::kOral:
      s.name = "ref-v1-oral";
      s.grid.t_end_h = 240;
      arm.doses = {dose("naltrexone-oral", 50, 0, 6, 24), dose("heroin-iv", 25, 26),
                   dose("heroin-iv", 25, 74), dose("heroin-iv", 25, 170),
                   dose("heroin-iv", 25, 218)};
      break;
    case RefScenario::kControl:
      s.name = "ref-v1-control";
      s.grid.t_end_h = 72;
      arm.doses = {dose("heroin-iv", 25, 24)};
      break;
  }
  arm.name = s.name;
  s.arms = {arm};
  return s;
}

}  // namespace morsim::testing
