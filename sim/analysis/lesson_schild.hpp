// The Schild lesson: agonist dose-occupancy curves at fixed antagonist levels, each point a
// simulation of constant infusions at steady state, and the dose ratios and Schild regression
// read from those curves.
#pragma once

#include <hdf5.h>

#include <string>
#include <vector>

#include "model/scenario.hpp"

namespace morsim {

struct SchildLevel {
  std::string arm;                   // the scenario arm that fixes this antagonist level
  double antagonist_brain_nM = 0.0;  // held brain concentration [N], from the run
  double antagonist_load = 0.0;      // [N] / K_N
  std::vector<double> agonist_brain_nM, occupancy, effect;  // per swept rate
  double ec50_rate_mg_per_day = 0.0;  // agonist rate giving 50% agonist occupancy
  double dose_ratio = 1.0;            // ec50 / ec50 of the control level
  double predicted_dose_ratio = 1.0;  // 1 + [N]/K_N (Gaddum/Schild)
};

struct SchildResult {
  std::string agonist, antagonist, agonist_formulation;
  double antagonist_kd_nM = 0.0;
  std::vector<double> rates_mg_per_day;  // swept agonist infusion rates
  std::vector<SchildLevel> levels;       // levels[0] is the control (no antagonist)
  // log10(DR - 1) = slope * log10([N] in M) + intercept, over the antagonist levels.
  double slope = 0.0, intercept = 0.0;
  double pa2 = 0.0;  // intercept / slope = -log10(K_N in M) estimated from the plot
};

// Runs the arms `levels` (the first without antagonist, the control) with their agonist
// steady-state infusion scaled over a log grid. Throws ModelError when the control has an
// antagonist or no steady-state agonist dose, or no other arm has an antagonist.
SchildResult run_schild(const ScenarioSpec& spec, const std::vector<std::string>& levels);

// Writes the group /schild (curves, dose ratios, regression) into an open results file.
void write_schild(hid_t file, const SchildResult& r);

}  // namespace morsim
