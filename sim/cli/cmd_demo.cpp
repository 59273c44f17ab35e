// `morsim demo [NAME]`: the built-in lessons, embedded in the binary so they run anywhere.
#include <iostream>
#include <string_view>

#include "analysis/lessons.hpp"
#include "cli/commands.hpp"
#include "cli/scenario_runner.hpp"
#include "config/load_scenario.hpp"
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
      const std::vector<Trajectory> arms = run_and_write(spec, req);
      const std::string paragraph = lesson_paragraph(spec, arms);
      if (!paragraph.empty()) std::cout << "\n" << paragraph << "\n";
      return kSuccess;
    });
  });
}

}  // namespace morsim::cli
