// Kind "rescue": an antagonist given after an overdose (naloxone after fentanyl): how fast it
// displaces the agonist, by which route, and whether the agonist comes back.
#include <cmath>

#include "lessons/kinds.hpp"

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

double first_time_below(const Trajectory& tr, double t0, double level) {
  for (std::size_t i = 0; i < tr.n_times(); ++i)
    if (tr.t_h[i] > t0 && tr.agonist_occupancy(i) < level) return tr.t_h[i];
  return std::nan("");
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
  double peak = 0.0;
  for (std::size_t i = 0; i < alone.n_times(); ++i)
    peak = std::max(peak, alone.agonist_occupancy(i));
  const double t_end = alone.t_h.back();
  v["below"] = pct(below);
  v["alone_peak"] = pct(peak);
  v["alone_end"] = pct(last_occupancy(alone));
  v["end_time"] = time_of(spec, t_end);
  const double t_im = antagonist_time(spec, im), t_iv = antagonist_time(spec, iv);
  v["im_time"] = time_of(spec, t_im);
  v["im_below_time"] = time_of(spec, first_time_below(im, t_im, below));
  v["iv_time"] = time_of(spec, t_iv);
  v["iv_below_time"] = time_of(spec, first_time_below(iv, t_iv, below));
  // The lowest agonist occupancy after the first minutes, and when.
  double low = 2.0, t_low = 0.0;
  for (std::size_t i = 0; i < iv.n_times(); ++i)
    if (iv.agonist_occupancy(i) < low && iv.t_h[i] > 0.05)
      low = iv.agonist_occupancy(i), t_low = iv.t_h[i];
  v["iv_low"] = pct(low);
  v["iv_low_time"] = time_of(spec, t_low);
  v["iv_end"] = pct(last_occupancy(iv));
  v["slow_end"] = pct(last_occupancy(slow));
  return out;
}

}  // namespace morsim::lessons
