// `morsim plot FILE.h5 -o FIG.png`: the figure of a results, sweep or population file,
// without running the model.
#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/commands.hpp"
#include "config/load_scenario.hpp"
#include "io/partial_file.hpp"
#include "io/plot.hpp"
#include "io/results_file.hpp"
#include "model/errors.hpp"
#include "population/population_file.hpp"

namespace morsim::cli {

namespace {

struct PlotArgs {
  std::string input, output, title, size, metric, plasma_unit = "nM";
  std::vector<std::string> arms;
  bool force = false;
};

// "WIDTHxHEIGHT" with both 100-10000 px; checked here so a typo is a usage error before
// Python starts.
void check_size(const std::string& size) {
  const std::size_t x = size.find('x');
  const auto digits = [](const std::string& s) {
    return !s.empty() && s.size() <= 5 &&
           std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c); });
  };
  const std::string w = x == size.npos ? "" : size.substr(0, x);
  const std::string h = x == size.npos ? "" : size.substr(x + 1);
  if (!digits(w) || !digits(h) || std::stoi(w) < 100 || std::stoi(w) > 10000 ||
      std::stoi(h) < 100 || std::stoi(h) > 10000)
    throw InputFileError("--size " + size +
                         ": expected WIDTHxHEIGHT in pixels, each 100 to 10000, e.g. 1920x1080");
}

// The scenario behind a results file, for its compounds' molar masses: the config file if it
// still holds the stored text (its own models folder), else the text with the built-in models.
ScenarioSpec stored_scenario(const std::string& h5_path) {
  const StoredConfig c = read_stored_config(h5_path);
  if (!c.path.empty() && std::filesystem::exists(c.path)) {
    std::ifstream in(c.path);
    std::ostringstream text;
    text << in.rdbuf();
    if (text.str() == c.text) return load_scenario_file(c.path);
  }
  return load_scenario_text(c.text, h5_path + " (stored config)", EmbeddedLibrary());
}

// ng/mL needs g/mol, which the results file does not store: they come from the models.
std::vector<std::pair<std::string, double>> molar_masses(const std::string& h5_path) {
  std::vector<std::pair<std::string, double>> out;
  try {
    for (const Compound& c : stored_scenario(h5_path).compounds)
      out.emplace_back(c.name, c.molar_mass_g_per_mol);
  } catch (const std::exception& e) {
    throw InputFileError(h5_path + ": cannot show ng/mL, the molar masses are not known (" +
                         e.what() + ")");
  }
  return out;
}

int plot(const PlotArgs& a) {
  try {  // a refusal is a usage error, before Python starts
    check_output(a.output, a.force, OutputKind::kFigure);
    if (!a.size.empty()) check_size(a.size);
  } catch (const std::exception& e) {
    std::cerr << "morsim plot: " << e.what() << "\n";
    return kBadInput;
  }
  PlotOptions p;
  p.force = a.force;
  p.arms = a.arms;
  p.title = a.title;
  p.size = a.size;
  p.metric = a.metric;
  p.plasma_unit = a.plasma_unit;
  p.population_format_version = kPopulationFormatVersion;
  if (a.plasma_unit == "ng/mL") p.molar_masses = molar_masses(a.input);
  plot_results(a.input, a.output, p);
  return kSuccess;
}

}  // namespace

void add_plot_command(CLI::App& app, int* exit_code) {
  auto* cmd = app.add_subcommand(
      "plot",
      "Draw a morsim file by its type: a results file (occupancy, effect and plasma per arm), "
      "a sweep (a metric over the swept parameters) or a population (percentile bands).\n"
      "Example: morsim plot demo.h5 -o demo.png --size 1280x720");
  auto args = std::make_shared<PlotArgs>();
  cmd->add_option("file", args->input, "Results, sweep or population file (HDF5)")
      ->required()
      ->check(CLI::ExistingFile);
  cmd->add_option("-o,--output", args->output, "Figure file: .png, .svg or .pdf")->required();
  cmd->add_option("--arms", args->arms, "Arms to show, in order (default: all, as configured)")
      ->delimiter(',');
  cmd->add_option("--title", args->title, "Figure title (default: the scenario name)");
  cmd->add_option("--size", args->size, "Figure size in pixels, WIDTHxHEIGHT (default 1920x1080)");
  cmd->add_option("--metric", args->metric, "Sweep files: the metric to draw (default: the first)");
  cmd->add_option("--plasma-unit", args->plasma_unit, "Plasma concentrations in nM or ng/mL")
      ->check(CLI::IsMember({"nM", "ng/mL"}));
  cmd->add_flag("-f,--force", args->force, "Replace an existing figure");
  cmd->callback([args, exit_code] { *exit_code = guarded("plot", [&] { return plot(*args); }); });
}

}  // namespace morsim::cli
