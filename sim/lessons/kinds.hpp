// Private to lessons/: the analyses behind each lesson kind, and what they share.
#pragma once

#include <string>
#include <vector>

#include "analysis/lesson_text.hpp"
#include "lessons/lesson_kind.hpp"

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
std::string day(double t_h);                                   // "17.7"
std::string mg(double amount_mg);                              // "25 mg"
std::string minutes(double t_h);                               // "3.2 min", "never" for NaN
std::string join_list(const std::vector<std::string>& items);  // "a, b and c"

}  // namespace morsim::lessons
