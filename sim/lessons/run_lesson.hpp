// Running a scenario's lesson: the kind's analysis, then the paragraph from its template.
#pragma once

#include <string>
#include <vector>

#include "lessons/lesson_kind.hpp"

namespace morsim {

struct LessonResult {
  LessonOutput output;    // extra arms, root attributes and groups for the results file
  std::string paragraph;  // the template filled with the run's numbers
};

// Requires spec.lesson. Adds the group /lesson (kind, roles, paragraph, every value) to the
// groups to write.
LessonResult run_lesson(const ScenarioSpec& spec, const std::vector<Trajectory>& arms);

}  // namespace morsim
