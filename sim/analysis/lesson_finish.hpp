// Completing a built-in lesson after its scenario has run and been written: some lessons run
// more (a second binding mode, an agonist dose sweep) and add it to the results file before
// the figure is drawn; then the paragraph.
#pragma once

#include <string>
#include <vector>

#include "model/scenario.hpp"
#include "solver/trajectory.hpp"

namespace morsim {

struct LessonFiles {
  std::string h5_path;       // the results file just written
  std::string config_path;   // as recorded in the file
  std::string command_line;  // recorded as a root attribute
};

struct LessonOutcome {
  std::vector<Trajectory> arms;  // the arms in the file (the given ones plus any added)
  std::string paragraph;         // "" when the scenario has no lesson
};

// Prints the challenge tables of any arms it adds, like the plain run does for its own.
LessonOutcome finish_lesson(const ScenarioSpec& spec, std::vector<Trajectory> arms,
                            const LessonFiles& files);

}  // namespace morsim
