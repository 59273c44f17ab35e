// `morsim demo [NAME]`: the built-in lessons, embedded in the binary so they run anywhere.
#include <iostream>
#include <string_view>

#include "analysis/lesson_finish.hpp"
#include "analysis/population_lesson.hpp"
#include "cli/commands.hpp"
#include "cli/scenario_runner.hpp"
#include "config/load_scenario.hpp"
#include "io/partial_file.hpp"
#include "io/plot.hpp"
#include "io/population_file.hpp"
#include "io/population_plot.hpp"
#include "population/population_summary.hpp"
#include "resources/resources.hpp"

namespace morsim::cli {
namespace {

constexpr std::string_view kDemoPrefix = "configs/demo/";
constexpr std::string_view kDefaultDemo = "depot-blockade";

std::vector<std::pair<std::string, const char*>> builtin_demos() {
  std::vector<std::pair<std::string, const char*>> out;
  for (const Resource& r : embedded_resources()) {
    std::string_view p = r.path;
    if (p.substr(0, kDemoPrefix.size()) != kDemoPrefix || p.size() < 5 ||
        p.substr(p.size() - 5) != ".toml")
      continue;
    p.remove_prefix(kDemoPrefix.size());
    p.remove_suffix(5);
    out.emplace_back(std::string(p), r.text);
  }
  return out;
}

// The `description` line of a demo config, for --list.
std::string first_description(const std::string& text) {
  const auto pos = text.find("description");
  if (pos == std::string::npos) return "";
  const auto q1 = text.find('"', pos);
  const auto q2 = q1 == std::string::npos ? q1 : text.find('"', q1 + 1);
  return q2 == std::string::npos ? "" : text.substr(q1 + 1, q2 - q1 - 1);
}

// A population demo ([population] table): virtual patients instead of one run per arm.
int run_population_demo(const std::string& name, const char* text, const std::string& stem,
                        bool force, bool no_plot) {
  const std::string h5 = stem + ".h5", png = no_plot ? "" : stem + ".png";
  try {
    check_output(h5, force, OutputKind::kResults);
    if (!png.empty()) check_output(png, force, OutputKind::kFigure);
  } catch (const std::exception& e) {
    std::cerr << "morsim demo: " << e.what() << "\n";
    return kBadInput;
  }
  const population::PopulationSpec ps = population::load_population_text(
      text, std::string(kDemoPrefix) + name + ".toml (built-in)", true);
  population::PopulationOptions opt;
  opt.output_path = h5;  // its scratch file beside it
  const population::PopulationResult r = population::run_population(ps, opt);
  PopulationWriteOptions w;
  w.force = force;
  w.command = "morsim demo " + name;
  write_population(h5, ps, r, w);
  std::cout << population::format_population_summary(ps, r) << "wrote " << h5 << "\n";
  if (!png.empty()) {
    plot_population(h5, png, force);
    std::cout << "wrote " << png << "\n";
  }
  std::cout << "\n" << population_lesson_paragraph(ps, r) << "\n";
  return kSuccess;
}

}  // namespace

void add_demo_command(CLI::App& app, int* exit_code) {
  auto* cmd = app.add_subcommand(
      "demo",
      "Run a built-in lesson; writes NAME.h5 and NAME.png here (the default writes "
      "demo.h5 and demo.png).\nExample: morsim demo oral-blockade");
  struct Args {
    std::string name;
    bool list = false, force = false, no_plot = false;
  };
  auto args = std::make_shared<Args>();
  cmd->add_option("name", args->name, "Demo name (see --list); default: depot-blockade");
  cmd->add_flag("--list", args->list, "List the built-in demos");
  cmd->add_flag("-f,--force", args->force, "Replace existing output files");
  cmd->add_flag("--no-plot", args->no_plot, "Skip the figure");
  cmd->callback([args, exit_code] {
    *exit_code = guarded("demo", [&]() -> int {
      const auto demos = builtin_demos();
      if (args->list) {
        for (const auto& [name, text] : demos)
          std::cout << name << (name == kDefaultDemo ? " (default)" : "") << "\n    "
                    << first_description(text) << "\n";
        return kSuccess;
      }
      const std::string name = args->name.empty() ? std::string(kDefaultDemo) : args->name;
      const char* text = nullptr;
      for (const auto& [n, t] : demos)
        if (n == name) text = t;
      if (!text) {
        std::cerr << "morsim demo: no built-in demo '" << name << "'; available:";
        for (const auto& d : demos) std::cerr << ' ' << d.first;
        std::cerr << "\n";
        return kBadInput;
      }
      const std::string demo_stem = args->name.empty() ? "demo" : name;
      if (population::is_population_config(text))
        return run_population_demo(name, text, demo_stem, args->force, args->no_plot);
      const ScenarioSpec spec = load_scenario_text(
          text, std::string(kDemoPrefix) + name + ".toml (built-in)", EmbeddedLibrary());
      const std::string stem = args->name.empty() ? "demo" : name;
      RunRequest req;
      req.output_h5 = stem + ".h5";
      req.figure = args->no_plot ? "" : stem + ".png";
      req.config_path = std::string(kDemoPrefix) + name + ".toml";
      req.force = args->force;
      req.command_line = "morsim demo " + name;
      try {
        check_outputs_free(req);
      } catch (const std::exception& e) {
        std::cerr << "morsim demo: " << e.what() << "\n";
        return kBadInput;
      }
      // The figure comes after finish_lesson, which may add arms or datasets to the file.
      RunRequest run = req;
      run.figure.clear();
      const std::vector<Trajectory> arms = run_and_write(spec, run);
      const LessonOutcome lesson =
          finish_lesson(spec, arms, {req.output_h5, req.config_path, req.command_line});
      if (!req.figure.empty()) {
        PlotOptions p;
        p.force = req.force;
        plot_results(req.output_h5, req.figure, p);
        std::cout << "figure: " << req.figure << "\n";
      }
      if (!lesson.paragraph.empty()) std::cout << "\n" << lesson.paragraph << "\n";
      return kSuccess;
    });
  });
}

}  // namespace morsim::cli
