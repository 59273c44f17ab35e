// Kind "blockade": how long an antagonist schedule holds the receptors, and what repeated
// agonist challenges reach through it compared with the control arm.
#include <cmath>

#include "analysis/challenges.hpp"
#include "lessons/kinds.hpp"
#include "solver/arm_simulator.hpp"

namespace morsim::lessons {
namespace {

using lesson_text::pct;

// One phrase for both levels, so a block that outlasts the run is said once.
// The hold times are on the solver's dense output, not on the output grid.
std::string hold_phrase(const ScenarioSpec& spec, const Arm& arm, double high, double low) {
  const double t0 = spec.grid.t_start_h, t_end = spec.grid.t_end_h;
  ArmSimulator sim(spec);
  const SampleObservable antagonist = antagonist_occupancy;
  const std::vector<double> held =
      last_times_at_least(sim, arm, antagonist, t0, t_end, {high, low});
  const double th = held[0], tl = held[1];
  const std::string end = "to the end of the run (" + time_of(spec, t_end) + ")";
  auto until = [&](double t) { return t >= t_end ? end : "until " + time_of(spec, t); };
  if (std::isnan(th))
    return std::isnan(tl) ? "never as much as " + pct(low) + " of the receptors"
                          : "never " + pct(high) + " of the receptors, but at least " + pct(low) +
                                " " + until(tl);
  std::string s = "at least " + pct(high) + " of the receptors " + until(th);
  if (th < t_end) s += " and at least " + pct(low) + " " + until(tl);
  return s;
}

}  // namespace

LessonOutput analyse_blockade(const ScenarioSpec& spec, const LessonSpec& lesson,
                              const std::vector<Trajectory>& arms) {
  const Trajectory& control = arm_named(arms, lesson.arm("control"));
  const Trajectory& treated = arm_named(arms, lesson.arm("treated"));
  const auto rows = analyse_challenges(spec, treated, &control);
  const auto crow = analyse_challenges(spec, control, nullptr);
  LessonOutput out;
  auto& v = out.values;
  const double high = lesson.number("high", 0.9), low = lesson.number("low", 0.5);
  v["high"] = pct(high);
  v["low"] = pct(low);
  v["hold"] = hold_phrase(spec, scenario_arm(spec, treated.arm), high, low);
  v["end_time"] = time_of(spec, spec.grid.t_end_h);
  if (!crow.empty()) {
    v["dose"] = mg(crow.front().amount_mg);
    v["control_peak"] = pct(crow.front().peak_agonist_occupancy);
    v["control_effect"] = pct(crow.front().peak_effect);
  }
  std::vector<std::string> peaks, blocks;
  for (const ChallengeResult& r : rows) {
    peaks.push_back(pct(r.peak_agonist_occupancy) + " " + when(spec, r.dose_time_h));
    blocks.push_back(pct(r.blockade));
  }
  v["challenge_peaks"] = join_list(peaks);
  v["blockades"] = join_list(blocks);
  if (!rows.empty()) {
    v["first_peak"] = pct(rows.front().peak_agonist_occupancy);
    v["last_peak"] = pct(rows.back().peak_agonist_occupancy);
    v["first_blockade"] = pct(rows.front().blockade);
    v["last_blockade"] = pct(rows.back().blockade);
    v["first_time"] = time_of(spec, rows.front().dose_time_h);
    v["last_time"] = time_of(spec, rows.back().dose_time_h);
  }
  return out;
}

}  // namespace morsim::lessons
