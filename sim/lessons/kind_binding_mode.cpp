// Kind "binding-mode": the compared arms run again with instantaneous (Gaddum) equilibrium
// binding; both sets go into the results file. Fast transients and slowly dissociating
// ligands are where the two part ways.
#include <cmath>

#include "analysis/lesson_agonists.hpp"
#include "analysis/lesson_binding_mode.hpp"
#include "lessons/kinds.hpp"
#include "solver/simulate.hpp"

namespace morsim::lessons {
namespace {

using lesson_text::fmt;
using lesson_text::pct;

std::string koff_half_life(const ScenarioSpec& spec, const std::string& name) {
  const Compound* c = spec.find_compound(name);
  if (!c || c->binding.koff_per_h <= 0) return "-";
  const double min = 60.0 * std::log(2.0) / c->binding.koff_per_h;
  return fmt(min < 10 ? "%.1f min" : "%.0f min", min);
}

}  // namespace

LessonOutput analyse_binding_mode(const ScenarioSpec& spec, const LessonSpec& lesson,
                                  const std::vector<Trajectory>& arms) {
  // One ScenarioSpec has one binding mode: the twin holds the compared arms at equilibrium.
  ScenarioSpec kinetic = spec;
  kinetic.receptor.mode = BindingMode::kKinetic;
  kinetic.arms.clear();
  for (const std::string& name : lesson.arms("compare"))
    for (const Arm& a : spec.arms)
      if (a.name == name) kinetic.arms.push_back(a);
  const ScenarioSpec twin = equilibrium_twin(kinetic);
  LessonOutput out;
  out.extra_arms = simulate(twin);
  std::string names;
  for (const Trajectory& tr : out.extra_arms) names += (names.empty() ? "" : ",") + tr.arm;
  // The root binding_mode attribute is the config's (kinetic); these arms are not.
  out.root_attributes.push_back({"equilibrium_arms", names});

  std::vector<Trajectory> k_arms;
  for (const std::string& name : lesson.arms("compare")) k_arms.push_back(arm_named(arms, name));
  const auto k_rows = analyse_challenge_on_top(spec, k_arms);
  const auto e_rows = analyse_challenge_on_top(twin, out.extra_arms);
  std::string said;
  for (std::size_t j = 0; j < k_rows.size() && j < e_rows.size(); ++j) {
    const ChallengeOnTop& k = k_rows[j];
    const ChallengeOnTop& e = e_rows[j];
    said += said.empty() ? "" : " ";
    if (k.maintenance.empty()) {
      said += "With " + k.challenge + " alone its active products peak, with kinetic binding, at " +
              pct(k.challenge_peak_occupancy) + " of the receptors " +
              fmt("%.0f min", 60.0 * (k.challenge_peak_time_h - k.challenge_time_h)) +
              " after the dose (effect " + pct(k.peak_effect) + "); at equilibrium, " +
              pct(e.challenge_peak_occupancy) + " at " +
              fmt("%.0f min", 60.0 * (e.challenge_peak_time_h - e.challenge_time_h)) + " (effect " +
              pct(e.peak_effect) + ").";
    } else {
      said += "On " + k.maintenance + ", at the trough it holds " + pct(k.maintenance_occupancy) +
              " kinetically and " + pct(e.maintenance_occupancy) + " at equilibrium; " +
              k.challenge + " then takes " + pct(k.challenge_peak_occupancy) + " and " +
              pct(e.challenge_peak_occupancy) + " (effect +" + pct(k.increment()) + " and +" +
              pct(e.increment()) + ").";
    }
  }
  auto& v = out.values;
  v["compared"] = said;
  for (const char* role : {"fast", "slow"}) {
    const auto c = lesson.compounds.find(role);
    if (c == lesson.compounds.end() || c->second.empty()) continue;
    v[role] = c->second.front();
    v[std::string(role) + "_koff_half_life"] = koff_half_life(spec, c->second.front());
  }
  return out;
}

}  // namespace morsim::lessons
