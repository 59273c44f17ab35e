// A ligand of the mu-opioid receptor: its disposition, brain link and binding, in internal units.
#pragma once

#include <string>
#include <vector>

namespace morsim {

// A peripheral distribution compartment linked to the central one by micro-constants.
struct PeripheralCompartment {
  double k_out_per_h = 0.0;  // central -> peripheral (k12), > 0
  double k_in_per_h = 0.0;   // peripheral -> central (k21), > 0
};

// Part of a compound's elimination that forms another compound (parent -> metabolite).
struct MetaboliteLink {
  std::string metabolite;  // name of the compound formed
  double fraction = 0.0;   // fraction of the eliminated amount that becomes the metabolite, [0, 1]
};

// How strongly and how fast a compound binds the receptor, and what it does there.
struct Binding {
  double kon_per_nM_n_per_h = 0.0;  // association, unit nM^-n h^-1 (n = hill_n)
  double koff_per_h = 0.0;          // dissociation
  double hill_n = 1.0;  // exponent on the ligand concentration (Mann 2022); 1 = mass action
  double tau = 0.0;     // operational efficacy (Black-Leff); 0 = neutral antagonist
  // Equilibrium dissociation constant: K^n = koff / kon.
  double kd_nM() const;
};

struct Compound {
  std::string name;                   // identifier used in configs and output: "heroin", "6-MAM"
  double molar_mass_g_per_mol = 0.0;  // free base; nmol = mg * 1e6 / MW
  double central_volume_L = 0.0;      // plasma concentration = central amount / volume
  double k_elim_per_h = 0.0;          // first-order loss from central (metabolism + excretion)
  std::vector<PeripheralCompartment> peripherals;
  std::vector<MetaboliteLink> metabolites;  // fractions of k_elim flux; their sum <= 1
  double ke0_per_h = 0.0;                   // brain (effect-site) equilibration; 0 = no brain link
  double brain_partition = 1.0;             // brain/plasma ratio at equilibrium (Kp)
  bool binds_receptor = false;              // true: has a brain state and occupies the receptor
  Binding binding;

  bool is_agonist() const { return binds_receptor && binding.tau > 0.0; }
};

}  // namespace morsim
