// A parameter sweep as read from a sweep file: base scenario, varied parameters, design,
// optional challenge dose and the metrics to compute (docs/sweeps.md).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "model/scenario.hpp"
#include "sweep/design.hpp"
#include "sweep/parameter_path.hpp"

namespace morsim::sweep {

enum class MetricKind {
  kPeakAgonist,     // max agonist occupancy after the challenge
  kAgonistAt,       // agonist occupancy `after` hours after the challenge
  kTimeAbove,       // hours agonist occupancy >= level after the challenge
  kAgonistAuc,      // area under agonist occupancy after the challenge (h)
  kBlockade,        // 1 - peak / peak of the control (no antagonist doses)
  kCoverage,        // hours antagonist occupancy >= level in [from, to] of the base arm
  kSurmountDose,    // challenge dose (mg) whose peak agonist occupancy reaches `level`
  kPeakEffect,      // max agonist effect (E/Emax, operational model) after the challenge
  kEffectBlockade,  // 1 - peak effect / peak effect of the control (no antagonist doses)
};

struct Metric {
  std::string name;
  MetricKind kind = MetricKind::kPeakAgonist;
  std::string units;
  double level = 0.0;                // time_above, coverage, surmount_dose
  double after_h = 0.0;              // agonist_at
  double from_h = 0.0, to_h = 0.0;   // coverage window
  double lo_mg = 0.01, hi_mg = 1e5;  // surmount_dose search range
};

struct SweepParameter {
  ParameterPath target;
  Axis axis;
  int line = 0;
};

struct SweepSpec {
  std::string path, text, name;
  std::string base_path;  // resolved
  ScenarioSpec base;
  std::size_t arm = 0;  // index of the arm swept
  ChallengeDose challenge;
  std::vector<SweepParameter> parameters;
  std::vector<Metric> metrics;
  std::unique_ptr<Design> design;
  std::uint64_t seed = 0;
  double window_h = 48.0;          // simulated after the challenge
  double peak_step_h = 0.5 / 60;   // fine sampling for peaks ...
  double peak_span_h = 6.0;        // ... for this long after the challenge
  double step_h = 0.25;            // coarse sampling elsewhere
  double rtol = 0.0, atol = 0.0;   // > 0: override the base scenario's solver tolerances
  double trajectory_step_h = 0.0;  // > 0: store occupancy every step (post-challenge window)
  std::size_t trajectory_points() const;

  std::vector<std::string> parameter_names() const;
  std::vector<std::string> parameter_units() const;
  std::vector<std::string> metric_names() const;
  std::vector<std::string> metric_units() const;
};

// Reads and checks a sweep file; every mistake throws ConfigError (file:line: key: problem).
SweepSpec load_sweep_file(const std::string& path);
SweepSpec load_sweep_text(const std::string& text, const std::string& path);

}  // namespace morsim::sweep
