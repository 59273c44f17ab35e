// Kind "rescue": an antagonist given after an overdose (naloxone after fentanyl): how fast it
// displaces the agonist, by which route, and whether the agonist comes back.
#include <algorithm>
#include <cmath>

#include "lessons/kinds.hpp"
#include "solver/arm_simulator.hpp"

namespace morsim::lessons {
namespace {

using lesson_text::fmt;
using lesson_text::pct;

// Time of the first dose of a receptor antagonist in the arm; 0 if none.
double antagonist_time(const ScenarioSpec& spec, const Trajectory& t) {
  for (const DoseLogEntry& d : t.doses)
    if (const Compound* c = spec.find_compound(d.compound);
        c && c->binds_receptor && !c->is_agonist())
      return d.applied_time_h;
  return 0.0;
}

double last_occupancy(const Trajectory& t) { return t.agonist_occupancy(t.n_times() - 1); }

}  // namespace

LessonOutput analyse_rescue(const ScenarioSpec& spec, const LessonSpec& lesson,
                            const std::vector<Trajectory>& arms) {
  const Trajectory& alone = arm_named(arms, lesson.arm("alone"));
  const Trajectory& im = arm_named(arms, lesson.arm("im"));
  const Trajectory& iv = arm_named(arms, lesson.arm("iv"));
  const Trajectory& slow = arm_named(arms, lesson.arm("slow"));
  const double below = lesson.number("below", 0.8);
  LessonOutput out;
  auto& v = out.values;
  // Peak, crossings and minimum on the solver's dense output, not on the output grid.
  ArmSimulator sim(spec);
  const SampleObservable agonist = agonist_occupancy;
  const SampleObservable minus_agonist = [](const Trajectory& t, std::size_t i) {
    return -t.agonist_occupancy(i);
  };
  const double t0 = spec.grid.t_start_h, t_end = spec.grid.t_end_h;
  const double peak =
      locate_peaks(alone, sim, scenario_arm(spec, alone.arm), {{t0, t_end}}, {agonist})[0][0].value;
  v["below"] = pct(below);
  v["alone_peak"] = pct(peak);
  v["alone_end"] = pct(last_occupancy(alone));
  v["end_time"] = time_of(spec, t_end);
  const double t_im = antagonist_time(spec, im), t_iv = antagonist_time(spec, iv);
  v["im_time"] = time_of(spec, t_im);
  v["im_below_time"] =
      time_of(spec, first_time_below(sim, scenario_arm(spec, im.arm), agonist, t_im, t_end, below));
  v["iv_time"] = time_of(spec, t_iv);
  v["iv_below_time"] =
      time_of(spec, first_time_below(sim, scenario_arm(spec, iv.arm), agonist, t_iv, t_end, below));
  // The lowest agonist occupancy after the antagonist (and after the first 3 min), and when.
  const DensePeak low = locate_peaks(iv, sim, scenario_arm(spec, iv.arm),
                                     {{std::max(t_iv, t0 + 0.05), t_end}}, {minus_agonist})[0][0];
  v["iv_low"] = pct(-low.value);
  v["iv_low_time"] = time_of(spec, low.t_h);
  v["iv_end"] = pct(last_occupancy(iv));
  v["slow_end"] = pct(last_occupancy(slow));
  return out;
}

}  // namespace morsim::lessons
