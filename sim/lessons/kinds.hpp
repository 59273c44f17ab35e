// Private to lessons/: the analyses behind each lesson kind, and what they share.
#pragma once

#include <string>
#include <vector>

#include "analysis/challenges.hpp"
#include "analysis/dense_peak.hpp"
#include "analysis/lesson_text.hpp"
#include "lessons/lesson_kind.hpp"

namespace morsim {
class ArmSimulator;
}

namespace morsim::lessons {

LessonOutput analyse_blockade(const ScenarioSpec&, const LessonSpec&,
                              const std::vector<Trajectory>&);
LessonOutput analyse_missed_doses(const ScenarioSpec&, const LessonSpec&,
                                  const std::vector<Trajectory>&);
LessonOutput analyse_surmount(const ScenarioSpec&, const LessonSpec&,
                              const std::vector<Trajectory>&);
LessonOutput analyse_schild(const ScenarioSpec&, const LessonSpec&, const std::vector<Trajectory>&);
LessonOutput analyse_maintenance(const ScenarioSpec&, const LessonSpec&,
                                 const std::vector<Trajectory>&);
LessonOutput analyse_binding_mode(const ScenarioSpec&, const LessonSpec&,
                                  const std::vector<Trajectory>&);
LessonOutput analyse_rescue(const ScenarioSpec&, const LessonSpec&, const std::vector<Trajectory>&);

// The arm of that name; throws ModelError (names checked at load, so a bug) when absent.
const Trajectory& arm_named(const std::vector<Trajectory>& arms, const std::string& name);
const Arm& scenario_arm(const ScenarioSpec& spec, const std::string& name);

// Times in a paragraph, in the unit of the run table's time column (time_unit_for_span of the
// output window): "day 17.7", "50.0 h", "12.5 min". A time other than 0 that would read 0.0 in
// that unit is written in the next smaller one ("1.3 min" in a run of hours).
std::string time_of(const ScenarioSpec& spec, double t_h);
// The same with its preposition: "on day 17.7", "at 50.0 h", "at 12.5 min".
std::string when(const ScenarioSpec& spec, double t_h);
std::string mg(double amount_mg);                              // "25 mg"
std::string join_list(const std::vector<std::string>& items);  // "a, b and c"

// Crossing times on the solver's dense output, not on the output grid: the arm is simulated on
// 2000 even steps of [t0, t1], then on 240 steps across the bracketing step, and the crossing
// is placed by linear interpolation between the two finest samples about it.
// The first time in (t0, t1] at which `f` is below `level`; NaN if never.
double first_time_below(ArmSimulator& sim, const Arm& arm, const SampleObservable& f, double t0,
                        double t1, double level);
// The last time in [t0, t1] at which `f` is at least `level` (t1 when it still is); NaN if
// never.
double last_time_at_least(ArmSimulator& sim, const Arm& arm, const SampleObservable& f, double t0,
                          double t1, double level);
// The same for several levels, on one coarse simulation.
std::vector<double> last_times_at_least(ArmSimulator& sim, const Arm& arm,
                                        const SampleObservable& f, double t0, double t1,
                                        const std::vector<double>& levels);

double agonist_occupancy(const Trajectory& t, std::size_t i);
double antagonist_occupancy(const Trajectory& t, std::size_t i);

}  // namespace morsim::lessons
