// How a dose reaches the central compartment: routes, absorption chains and release phases.
#pragma once

#include <string>
#include <vector>

namespace morsim {

// One parallel input pathway of a formulation. A dose is split between phases by `fraction`;
// each phase may wait (`lag_h`), enter as a bolus or spread over `duration_h` (zero order),
// and then pass through a chain of first-order compartments before reaching the central one.
// An IV bolus is one phase with no chain; oral absorption a chain of one (ka); the monthly
// depot two or more phases (burst and slow release); an IM transit model a longer chain.
struct AbsorptionPhase {
  std::string name;                         // "burst", "slow", "gut"
  double fraction = 1.0;                    // of the dose, [0, 1]; phases of a formulation sum to 1
  double lag_h = 0.0;                       // delay from dose time to input, >= 0
  double duration_h = 0.0;                  // zero-order input duration; 0 = instantaneous
  std::vector<double> transit_rates_per_h;  // chain compartment exit rates; empty = into central
};

// Loss of part of the non-bioavailable amount to a metabolite (oral first pass).
struct FirstPassLink {
  std::string metabolite;
  double fraction = 0.0;  // of the (1 - F) part that reaches the metabolite's central, [0, 1]
};

struct Formulation {
  std::string name;      // "naltrexone-oral-50mg", "heroin-iv"
  std::string compound;  // the compound dosed
  std::string route;     // "iv", "iv-infusion", "oral", "intranasal", "smoked", "im-depot", ...
  double bioavailability = 1.0;  // F, applied where the input reaches the central compartment
  std::vector<FirstPassLink> first_pass;
  std::vector<AbsorptionPhase> phases;
  // Molar mass of the dosed form (a salt, e.g. naltrexone HCl 377.86); 0 = the compound's.
  double dosed_molar_mass_g_per_mol = 0.0;
};

}  // namespace morsim
