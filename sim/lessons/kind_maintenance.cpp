// Kind "maintenance": one agonist challenge on top of different maintenance drugs; what each
// drug holds and gives by itself when the challenge comes, and what the challenge adds.
#include "analysis/lesson_agonists.hpp"
#include "lessons/kinds.hpp"

namespace morsim::lessons {

using lesson_text::pct;

LessonOutput analyse_maintenance(const ScenarioSpec& spec, const LessonSpec& lesson,
                                 const std::vector<Trajectory>& arms) {
  LessonOutput out;
  auto& v = out.values;
  if (const std::string c = lesson.arm("control"); !c.empty()) {
    const auto rows = analyse_challenge_on_top(spec, {arm_named(arms, c)});
    if (!rows.empty()) {
      v["challenge"] = rows.front().challenge;
      v["control_peak"] = pct(rows.front().challenge_peak_occupancy);
      v["control_effect"] = pct(rows.front().peak_effect);
    }
  }
  std::vector<Trajectory> treated;
  for (const std::string& name : lesson.arms("treated")) treated.push_back(arm_named(arms, name));
  std::string said;
  for (const ChallengeOnTop& r : analyse_challenge_on_top(spec, treated)) {
    v["challenge"] = r.challenge;
    said += (said.empty() ? "" : " ") + std::string("On ") +
            (r.maintenance.empty() ? r.arm : r.maintenance) + ", when " + r.challenge + " comes (" +
            time_of(spec, r.challenge_time_h) + "), the drug holds " +
            pct(r.maintenance_occupancy) + " of the receptors and itself gives " +
            pct(r.effect_before) + " effect; " + r.challenge + " then takes " +
            pct(r.challenge_peak_occupancy) + " and raises the effect to " + pct(r.peak_effect) +
            " (+" + pct(r.increment()) + ").";
  }
  v["treated"] = said;
  return out;
}

}  // namespace morsim::lessons
