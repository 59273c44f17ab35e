// `morsim demo [NAME|FILE]`: the lessons. NAME runs a config embedded in the binary (so it
// runs anywhere), FILE a lesson config on disk (an exported, edited copy); both take --set
// like `morsim run`. The lesson itself comes from the config's [lesson] table.
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string_view>

#include "cli/commands.hpp"
#include "cli/progress_line.hpp"
#include "cli/scenario_runner.hpp"
#include "config/load_scenario.hpp"
#include "io/partial_file.hpp"
#include "model/errors.hpp"
#include "population/population_file.hpp"
#include "population/population_lesson.hpp"
#include "population/population_plot.hpp"
#include "population/population_summary.hpp"
#include "resources/resources.hpp"

namespace morsim::cli {
namespace {

namespace fs = std::filesystem;

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

// A path rather than a demo name: demo names have neither a '/' nor the .toml suffix.
bool is_path(const std::string& arg) {
  return arg.find('/') != std::string::npos ||
         (arg.size() > 5 && arg.compare(arg.size() - 5, 5, ".toml") == 0);
}

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw ConfigError(path, 0, "(file)", fs::exists(path) ? "cannot be read" : "no such file");
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// A population demo ([population] table): virtual patients instead of one run per arm.
int run_population_demo(const population::PopulationSpec& ps, const std::string& command,
                        const std::string& stem, bool force, bool no_plot, bool quiet) {
  const std::string h5 = stem + ".h5", png = no_plot ? "" : stem + ".png";
  try {
    check_output(h5, force, OutputKind::kResults);
    if (!png.empty()) check_output(png, force, OutputKind::kFigure);
  } catch (const std::exception& e) {
    std::cerr << "morsim demo: " << e.what() << "\n";
    return kBadInput;
  }
  population::PopulationOptions opt;
  opt.output_path = h5;  // its scratch file beside it
  ProgressLine progress("population", "subject-arms", quiet);
  opt.progress = [&](std::uint64_t d, std::uint64_t t) { progress(d, t); };
  const population::PopulationResult r = population::run_population(ps, opt);
  progress.end();
  PopulationWriteOptions w;
  w.force = force;
  w.command = command;
  write_population(h5, ps, r, w);
  if (!quiet) std::cout << population::format_population_summary(ps, r) << "wrote " << h5 << "\n";
  if (!png.empty()) {
    plot_population(h5, png, force);
    if (!quiet) std::cout << "wrote " << png << "\n";
  }
  if (!quiet) std::cout << "\n" << population_lesson_paragraph(ps, r) << "\n";
  return kSuccess;
}

// Writes the embedded config of a demo to DIR/NAME.toml for editing.
int export_demo(const std::string& name, const char* text, const std::string& dir, bool force) {
  const fs::path target = fs::path(dir) / (name + ".toml");
  if (fs::exists(target) && !force) {
    std::cerr << "morsim demo: " << target.string() << " exists; pass --force to replace it\n";
    return kBadInput;
  }
  std::error_code ec;
  fs::create_directories(dir, ec);
  std::ofstream out(target, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  if (!out) {
    std::cerr << "morsim demo: cannot write " << target.string() << "\n";
    return kRunFailure;
  }
  std::cout << "wrote " << target.string() << "; edit it, then run\n  morsim demo "
            << target.string() << "\nor\n  morsim run " << target.string() << " -o " << name
            << ".h5 --plot " << name << ".png\n";
  return kSuccess;
}

struct Args {
  std::string name, export_dir;
  std::vector<std::string> set;
  bool list = false, force = false, no_plot = false, quiet = false;
};

int run_demo(const Args& args) {
  const auto demos = builtin_demos();
  if (args.list) {
    for (const auto& [name, text] : demos)
      std::cout << name << (name == kDefaultDemo ? " (default)" : "") << "\n    "
                << first_description(text) << "\n";
    return kSuccess;
  }
  const bool from_file = is_path(args.name);
  const std::string name = args.name.empty() ? std::string(kDefaultDemo) : args.name;
  std::string text, display, config_path, stem;
  if (from_file) {
    if (!args.export_dir.empty()) {
      std::cerr << "morsim demo: --export takes a demo name (see --list), not a file\n";
      return kBadInput;
    }
    text = read_text(name);
    display = config_path = name;
    stem = fs::path(name).stem().string();
  } else {
    const char* found = nullptr;
    for (const auto& [n, t] : demos)
      if (n == name) found = t;
    if (!found) {
      std::cerr << "morsim demo: no built-in demo '" << name << "'; available:";
      for (const auto& d : demos) std::cerr << ' ' << d.first;
      std::cerr << " (or give a config file path)\n";
      return kBadInput;
    }
    if (!args.export_dir.empty()) return export_demo(name, found, args.export_dir, args.force);
    text = found;
    config_path = std::string(kDemoPrefix) + name + ".toml";
    display = config_path + " (built-in)";
    stem = args.name.empty() ? "demo" : name;
  }
  std::string command = "morsim demo " + name;
  for (const std::string& s : args.set) command += " --set '" + s + "'";

  if (population::is_population_config(text)) {
    if (!args.set.empty()) {
      std::cerr << "morsim demo: --set is not available for population configs; edit an "
                   "exported copy (morsim demo "
                << (from_file ? "NAME" : name) << " --export DIR)\n";
      return kBadInput;
    }
    const population::PopulationSpec ps =
        from_file ? population::load_population_file(name)
                  : population::load_population_text(text, display, EmbeddedLibrary());
    return run_population_demo(ps, command, stem, args.force, args.no_plot, args.quiet);
  }
  const ScenarioSpec spec = from_file
                                ? load_scenario_file(name, args.set)
                                : load_scenario_text(text, display, EmbeddedLibrary(), args.set);
  RunRequest req;
  req.output_h5 = stem + ".h5";
  req.figure = args.no_plot ? "" : stem + ".png";
  req.config_path = config_path;
  req.force = args.force;
  req.quiet = args.quiet;
  req.command_line = command;
  try {
    check_outputs_free(req);
  } catch (const std::exception& e) {
    std::cerr << "morsim demo: " << e.what() << "\n";
    return kBadInput;
  }
  run_and_write(spec, req);
  return kSuccess;
}

}  // namespace

void add_demo_command(CLI::App& app, int* exit_code) {
  auto* cmd = app.add_subcommand(
      "demo",
      "Run a lesson: a built-in one by NAME, or a lesson config FILE; writes NAME.h5 and "
      "NAME.png here (the default writes demo.h5 and demo.png).\n"
      "Examples: morsim demo oral-blockade --set '6-beta-naltrexol.partition=1'\n"
      "          morsim demo surmount --export mylessons && morsim demo mylessons/surmount.toml");
  auto args = std::make_shared<Args>();
  cmd->add_option("name", args->name,
                  "Demo name (see --list) or a config file path; default: depot-blockade");
  cmd->add_flag("--list", args->list, "List the built-in demos");
  cmd->add_option("--set", args->set,
                  "Override a parameter, e.g. --set 'naltrexone.ke0=1.5 /h' (repeatable)");
  cmd->add_option("--export", args->export_dir,
                  "Write the demo's config to DIR/NAME.toml for editing, and run nothing");
  cmd->add_flag("-f,--force", args->force, "Replace existing output files");
  cmd->add_flag("--no-plot", args->no_plot, "Skip the figure");
  cmd->add_flag("-q,--quiet", args->quiet,
                "Print nothing but errors (a run; --list and --export print)");
  cmd->callback(
      [args, exit_code] { *exit_code = guarded("demo", [&] { return run_demo(*args); }); });
}

}  // namespace morsim::cli
