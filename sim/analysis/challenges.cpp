// Peak agonist occupancy and effect after each challenge, and blockade against the control.
#include "analysis/challenges.hpp"

#include <cmath>
#include <cstdio>
#include <limits>

namespace morsim {

const Trajectory* find_control_arm(const ScenarioSpec& spec, const std::vector<Trajectory>& arms) {
  for (const Trajectory& t : arms)
    if (t.arm == "control") return &t;
  for (const Trajectory& t : arms) {
    bool antagonist = false;
    for (const DoseLogEntry& d : t.doses) {
      const Compound* c = spec.find_compound(d.compound);
      if (c && c->binds_receptor && !c->is_agonist() && d.status != DoseStatus::kMissed)
        antagonist = true;
    }
    if (!antagonist) return &t;
  }
  return nullptr;
}

namespace {

struct Window {
  double peak_occ = -1.0, peak_t = 0.0, antagonist = 0.0, peak_effect = 0.0;
};

Window scan(const Trajectory& tr, double t0, double t1) {
  Window w;
  for (std::size_t i = 0; i < tr.n_times(); ++i) {
    const double t = tr.t_h[i];
    if (t < t0 || t > t1) continue;
    const double a = tr.agonist_occupancy(i);
    if (a > w.peak_occ) {
      w.peak_occ = a;
      w.peak_t = t;
      w.antagonist = tr.antagonist_occupancy(i);
    }
    w.peak_effect = std::max(w.peak_effect, tr.effect[i]);
  }
  return w;
}

std::vector<const DoseLogEntry*> challenge_doses(const ScenarioSpec& spec, const Trajectory& tr) {
  std::vector<const DoseLogEntry*> out;
  for (const DoseLogEntry& d : tr.doses)
    if (d.status != DoseStatus::kMissed && produces_agonist(spec, d.compound)) out.push_back(&d);
  return out;
}

}  // namespace

std::vector<ChallengeResult> analyse_challenges(const ScenarioSpec& spec, const Trajectory& arm,
                                                const Trajectory* control, double window_h) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const auto doses = challenge_doses(spec, arm);
  const auto control_doses = control ? challenge_doses(spec, *control) : decltype(doses){};
  std::vector<ChallengeResult> rows;
  for (std::size_t j = 0; j < doses.size(); ++j) {
    const double t0 = doses[j]->applied_time_h;
    double t1 = t0 + window_h;
    if (j + 1 < doses.size()) t1 = std::min(t1, doses[j + 1]->applied_time_h);
    const Window w = scan(arm, t0, t1);
    ChallengeResult r;
    r.dose_time_h = t0;
    r.formulation = doses[j]->formulation;
    r.amount_mg = doses[j]->amount_mg;
    r.peak_agonist_occupancy = std::max(w.peak_occ, 0.0);
    r.peak_time_h = w.peak_t;
    r.antagonist_occupancy = w.antagonist;
    r.peak_effect = w.peak_effect;
    r.blockade = nan;
    r.control_peak_effect = nan;
    if (!arm.effect_modelled) {  // no operational effect in this receptor model
      r.peak_effect = nan;
      rows.push_back(r);
      continue;
    }
    for (std::size_t c = 0; c < control_doses.size(); ++c) {
      if (std::abs(control_doses[c]->applied_time_h - t0) > 1e-9) continue;
      double c1 = t0 + window_h;
      if (c + 1 < control_doses.size()) c1 = std::min(c1, control_doses[c + 1]->applied_time_h);
      r.control_peak_effect = scan(*control, t0, c1).peak_effect;
      if (r.control_peak_effect > 0.0) r.blockade = 1.0 - r.peak_effect / r.control_peak_effect;
    }
    rows.push_back(r);
  }
  return rows;
}

std::string format_challenge_table(const std::string& arm,
                                   const std::vector<ChallengeResult>& rows) {
  std::string out = "arm " + arm + ": " + std::to_string(rows.size()) + " agonist dose(s)\n";
  if (rows.empty()) return out;
  char line[256];
  std::snprintf(line, sizeof line, "  %8s %8s  %-22s %10s %12s %10s %9s\n", "day", "dose_mg",
                "formulation", "peak_agon", "antagonist", "effect", "blockade");
  out += line;
  for (const ChallengeResult& r : rows) {
    char blk[32], eff[32];
    if (std::isnan(r.blockade))
      std::snprintf(blk, sizeof blk, "%9s", "-");
    else
      std::snprintf(blk, sizeof blk, "%8.1f%%", 100.0 * r.blockade);
    if (std::isnan(r.peak_effect))  // the receptor model has no operational effect
      std::snprintf(eff, sizeof eff, "%10s", "-");
    else
      std::snprintf(eff, sizeof eff, "%9.1f%%", 100.0 * r.peak_effect);
    std::snprintf(line, sizeof line, "  %8.2f %8.1f  %-22s %9.1f%% %11.1f%% %s %s\n",
                  r.dose_time_h / 24.0, r.amount_mg, r.formulation.c_str(),
                  100.0 * r.peak_agonist_occupancy, 100.0 * r.antagonist_occupancy, eff, blk);
    out += line;
  }
  if (std::isnan(rows.front().peak_effect))
    out += "  (effect and blockade: not modelled, the receptor model has no operational effect)\n";
  return out;
}

}  // namespace morsim
