// The Schild lesson: agonist dose-occupancy curves at fixed antagonist levels, each point a
// simulation of constant infusions at steady state, and the dose ratios and Schild regression
// read from those curves.
#pragma once

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

// Runs every arm of `spec` with its agonist steady-state infusion scaled over a log grid.
// Throws ModelError when the scenario has no control arm, no antagonist arm, or no agonist
// steady-state dose.
SchildResult run_schild(const ScenarioSpec& spec);

// Adds the group /schild (curves, dose ratios, regression) to an existing results file.
void write_schild(const std::string& h5_path, const SchildResult& r);

std::string schild_paragraph(const SchildResult& r);

}  // namespace morsim
