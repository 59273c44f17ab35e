// Simulate, write atomically, plot, and print the challenge table of every arm.
#include "cli/scenario_runner.hpp"

#include <chrono>
#include <cstdio>
#include <iostream>

#include "analysis/challenges.hpp"
#include "io/partial_file.hpp"
#include "io/plot.hpp"
#include "io/results_file.hpp"
#include "lessons/run_lesson.hpp"
#include "model/errors.hpp"
#include "solver/sample_grid.hpp"
#include "solver/simulate.hpp"

namespace morsim::cli {

void check_outputs_free(const RunRequest& req) {
  check_output(req.output_h5, req.force, OutputKind::kResults);
  if (!req.figure.empty()) check_output(req.figure, req.force, OutputKind::kFigure);
}

OutputSize predicted_output_size(const ScenarioSpec& spec) {
  OutputSize o;
  // Per sample: time, effect and, per compound, plasma, brain and occupancy, in doubles.
  o.series = 2.0 + 3.0 * static_cast<double>(spec.compounds.size());
  o.samples = predicted_samples(spec);
  o.bytes = o.samples * o.series * sizeof(double);
  return o;
}

void check_output_size(const ScenarioSpec& spec, bool allow_large) {
  const OutputSize o = predicted_output_size(spec);
  if (o.bytes <= kLargeOutputBytes || allow_large) return;
  char text[256];
  std::snprintf(text, sizeof text,
                "the results would take about %.1f GB (%.3g samples x %.0f series); use a "
                "coarser [output] step or a shorter run, or pass --allow-large",
                o.bytes / 1e9, o.samples, o.series);
  throw OutputError(text);
}

std::vector<Trajectory> run_and_write(const ScenarioSpec& spec, const RunRequest& req) {
  check_outputs_free(req);
  const auto t0 = std::chrono::steady_clock::now();
  // The challenge tables below and a lesson's locate their peaks on the arms' kept runs, so
  // they simulate nothing more.
  SimulateOptions keep;
  keep.keep_dense_output = !req.quiet || spec.lesson.has_value();
  std::vector<Trajectory> arms = simulate(spec, nullptr, keep);
  // A lesson's extra simulations happen here, so that the file is written once, complete.
  LessonResult lesson;
  if (spec.lesson) lesson = run_lesson(spec, arms);
  const std::size_t n_scenario_arms = arms.size();
  arms.insert(arms.end(), lesson.output.extra_arms.begin(), lesson.output.extra_arms.end());
  const double ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  WriteOptions w;
  w.force = req.force;
  w.config_path = req.config_path;
  if (!req.command_line.empty()) w.extra_attributes.push_back({"command", req.command_line});
  for (const auto& a : req.attributes) w.extra_attributes.push_back(a);
  for (const auto& a : lesson.output.root_attributes) w.extra_attributes.push_back(a);
  w.extra_groups = lesson.output.groups;
  write_results(req.output_h5, spec, arms, w);
  if (!req.quiet) {
    std::cout << "scenario " << spec.name << ": " << n_scenario_arms << " arm(s) simulated";
    if (arms.size() > n_scenario_arms)
      std::cout << " (and " << arms.size() - n_scenario_arms << " more for the lesson)";
    std::cout << " in " << ms << " ms; results in " << req.output_h5 << "\n\n";
    // The lesson's control arm, when it names one, is the reference of the blockade column.
    const Trajectory* control = find_control_arm(spec, arms);
    if (spec.lesson && !spec.lesson->arm("control").empty())
      for (const Trajectory& tr : arms)
        if (tr.arm == spec.lesson->arm("control")) control = &tr;
    // The control arm is not compared with itself: its blockade column is "-".
    const double span_h = spec.grid.t_end_h - spec.grid.t_start_h;
    for (const Trajectory& tr : arms) {
      const Trajectory* reference = control == &tr ? nullptr : control;
      std::cout << format_challenge_table(tr.arm, analyse_challenges(spec, tr, reference), span_h)
                << "\n";
    }
  }
  if (!req.figure.empty()) {
    PlotOptions p;
    p.force = req.force;
    plot_results(req.output_h5, req.figure, p);
    if (!req.quiet) std::cout << "figure: " << req.figure << "\n";
  }
  if (!req.quiet && !lesson.paragraph.empty()) std::cout << "\n" << lesson.paragraph << "\n";
  return arms;
}

}  // namespace morsim::cli
