// Dispatch by scenario name to the lessons that need more than the plain run.
#include "analysis/lesson_finish.hpp"

#include <iostream>

#include "analysis/challenges.hpp"
#include "analysis/lesson_binding_mode.hpp"
#include "analysis/lesson_schild.hpp"
#include "analysis/lessons.hpp"
#include "io/results_file.hpp"
#include "solver/simulate.hpp"

namespace morsim {

LessonOutcome finish_lesson(const ScenarioSpec& spec, std::vector<Trajectory> arms,
                            const LessonFiles& files) {
  LessonOutcome out;
  if (spec.name == "schild") {
    const SchildResult r = run_schild(spec);
    write_schild(files.h5_path, r);
    out.paragraph = schild_paragraph(r);
  } else if (spec.name == "kinetic-vs-equilibrium") {
    // One ScenarioSpec has one binding mode: run the twin and write both sets into one file
    // (replacing the kinetic-only file just written).
    const ScenarioSpec twin = equilibrium_twin(spec);
    std::vector<Trajectory> eq = simulate(twin);
    const Trajectory* control = find_control_arm(twin, eq);
    std::string names;
    for (const Trajectory& tr : eq) {
      std::cout << format_challenge_table(tr.arm, analyse_challenges(twin, tr, control)) << "\n";
      names += (names.empty() ? "" : ",") + tr.arm;
    }
    arms.insert(arms.end(), eq.begin(), eq.end());
    WriteOptions w;
    w.force = true;
    w.config_path = files.config_path;
    if (!files.command_line.empty()) w.extra_attributes.push_back({"command", files.command_line});
    // The root binding_mode attribute is the config's (kinetic); these arms are not.
    w.extra_attributes.push_back({"equilibrium_arms", names});
    write_results(files.h5_path, spec, arms, w);
    out.paragraph = lesson_paragraph(spec, arms);
  } else {
    out.paragraph = lesson_paragraph(spec, arms);
  }
  out.arms = std::move(arms);
  return out;
}

}  // namespace morsim
