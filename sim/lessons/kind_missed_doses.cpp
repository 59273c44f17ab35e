// Kind "missed-doses": how fast the block of a daily antagonist decays after the last dose
// taken, split by the compounds that hold the receptors, and what challenges reach.
#include <algorithm>
#include <cmath>

#include "analysis/challenges.hpp"
#include "lessons/kinds.hpp"
#include "solver/arm_simulator.hpp"

namespace morsim::lessons {
namespace {

using lesson_text::fmt;
using lesson_text::pct;

bool is_antagonist(const ScenarioSpec& spec, const std::string& compound) {
  const Compound* c = spec.find_compound(compound);
  return c && c->binds_receptor && !c->is_agonist();
}

}  // namespace

LessonOutput analyse_missed_doses(const ScenarioSpec& spec, const LessonSpec& lesson,
                                  const std::vector<Trajectory>& arms) {
  const Trajectory& control = arm_named(arms, lesson.arm("control"));
  const Trajectory& treated = arm_named(arms, lesson.arm("treated"));
  double last_dose = std::nan("");
  int missed = 0;
  for (const DoseLogEntry& d : treated.doses) {
    if (!is_antagonist(spec, d.compound)) continue;
    if (d.status == DoseStatus::kMissed)
      ++missed;
    else
      last_dose = std::isnan(last_dose) ? d.applied_time_h : std::max(last_dose, d.applied_time_h);
  }
  LessonOutput out;
  auto& v = out.values;
  v["missed"] = fmt("%.0f", missed);
  v["last_dose"] = when(spec, last_dose);
  std::vector<std::string> split_names;
  const auto c = lesson.compounds.find("compounds");
  if (c != lesson.compounds.end()) split_names = c->second;
  // The occupancies after the last dose on the solver's dense output, not the output grid.
  std::vector<double> hours, times;
  for (double h : lesson.list("hours_after_last_dose", {2.0, 24.0, 48.0}))
    if (const double t = last_dose + h; !std::isnan(t) && t <= spec.grid.t_end_h)
      hours.push_back(h), times.push_back(t);
  std::vector<double> sorted = times;
  std::sort(sorted.begin(), sorted.end());
  sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
  ArmSimulator sim(spec);
  const Trajectory at =
      sorted.empty() ? Trajectory{} : sim.simulate(scenario_arm(spec, treated.arm), sorted);
  std::vector<std::string> after;
  for (std::size_t n = 0; n < hours.size(); ++n) {
    const double h = hours[n];
    const std::size_t i = static_cast<std::size_t>(
        std::lower_bound(sorted.begin(), sorted.end(), times[n]) - sorted.begin());
    std::string s = pct(at.antagonist_occupancy(i)) + (after.empty() ? " of the receptors " : " ") +
                    fmt("%.0f h", h) + " after it";
    std::vector<std::string> split;
    for (const std::string& name : split_names)
      for (std::size_t k = 0; k < at.n_compounds(); ++k)
        if (at.compounds[k] == name) split.push_back(name + " " + pct(at.occ(i, k)));
    std::string parts;
    for (const std::string& p : split) parts += (parts.empty() ? "" : ", ") + p;
    if (!parts.empty()) s += " (" + parts + ")";
    after.push_back(s);
  }
  v["after_last_dose"] = join_list(after);
  std::vector<std::string> challenges;
  for (const ChallengeResult& r : analyse_challenges(spec, treated, &control)) {
    const Formulation* f = spec.find_formulation(r.formulation);
    if (f) v["challenge"] = f->compound;
    const bool missed_day = !std::isnan(last_dose) && r.dose_time_h > last_dose + 12.0;
    challenges.push_back(when(spec, r.dose_time_h) + (missed_day ? " (a missed day)" : "") +
                         " reaches " + pct(r.peak_agonist_occupancy) +
                         " of the receptors, its effect blocked by " + pct(r.blockade));
  }
  std::string joined;
  for (std::size_t i = 0; i < challenges.size(); ++i) joined += (i ? "; " : "") + challenges[i];
  v["challenges"] = joined;
  return out;
}

}  // namespace morsim::lessons
