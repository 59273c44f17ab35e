// `morsim export FILE.h5 --csv DIR`: each arm's time course, its doses and the challenge table
// as CSV files with units in the column names, for spreadsheets, R and MATLAB without HDF5.
// `--nonmem DIR`: the doses as a NONMEM-style dataset with its [dataset] mapping, to run the
// scenario in NONMEM, mrgsolve or rxode2.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "analysis/challenges.hpp"
#include "cli/commands.hpp"
#include "config/load_scenario.hpp"
#include "io/csv_write.hpp"
#include "io/partial_file.hpp"
#include "io/results_file.hpp"
#include "model/errors.hpp"
#include "nonmem/dataset_export.hpp"

namespace morsim::cli {
namespace {

namespace fs = std::filesystem;

// Time columns are in the run table's unit (time_unit_for_span), named with it.
std::string in_unit(double t_h, const TimeUnit& u) { return csv_number(t_h / u.hours); }

CsvTable time_course(const Trajectory& tr, const TimeUnit& u) {
  CsvTable t;
  t.header.push_back(std::string("time_") + u.name);
  for (const std::string& c : tr.compounds) t.header.push_back("plasma_" + c + "_nM");
  for (const std::string& c : tr.compounds) t.header.push_back("brain_" + c + "_nM");
  for (const std::string& c : tr.compounds) t.header.push_back("occupancy_" + c + "_percent");
  t.header.push_back("free_receptor_percent");
  t.header.push_back("effect_percent");
  const std::size_t nk = tr.n_compounds();
  for (std::size_t i = 0; i < tr.n_times(); ++i) {
    std::vector<std::string> row{in_unit(tr.t_h[i], u)};
    for (std::size_t k = 0; k < nk; ++k) row.push_back(csv_number(tr.plasma(i, k)));
    for (std::size_t k = 0; k < nk; ++k) row.push_back(csv_number(tr.brain(i, k)));
    for (std::size_t k = 0; k < nk; ++k) row.push_back(csv_number(100.0 * tr.occ(i, k)));
    row.push_back(csv_number(100.0 * tr.free_receptor[i]));
    row.push_back(csv_number(100.0 * tr.effect[i]));  // NaN (empty) without an effect model
    t.rows.push_back(std::move(row));
  }
  return t;
}

CsvTable dose_log(const Trajectory& tr, const TimeUnit& u) {
  CsvTable t;
  const std::string unit = u.name;
  t.header = {"intended_time_" + unit,
              "applied_time_" + unit,
              "formulation",
              "compound",
              "route",
              "amount_mg",
              "status",
              "steady_state"};
  for (const DoseLogEntry& d : tr.doses)
    t.rows.push_back({in_unit(d.intended_time_h, u), in_unit(d.applied_time_h, u), d.formulation,
                      d.compound, d.route, csv_number(d.amount_mg), to_string(d.status),
                      d.steady_state ? "1" : "0"});
  return t;
}

// The scenario behind the file, to tell challenges (agonist doses) and the control arm apart:
// the config file if it still holds the stored text, else the stored text with the built-in
// models.
ScenarioSpec scenario_of(const StoredConfig& c) {
  if (!c.path.empty() && fs::exists(c.path)) {
    std::ifstream in(c.path);
    std::ostringstream text;
    text << in.rdbuf();
    if (text.str() == c.text) return load_scenario_file(c.path);
  }
  return load_scenario_text(c.text, "the stored config", EmbeddedLibrary());
}

CsvTable challenge_table(const ScenarioSpec& spec, const std::vector<Trajectory>& arms,
                         const TimeUnit& u) {
  CsvTable t;
  const std::string unit = u.name;
  t.header = {"arm",
              "dose_time_" + unit,
              "formulation",
              "amount_mg",
              "peak_agonist_occupancy_percent",
              "peak_time_" + unit,
              "antagonist_occupancy_percent",
              "peak_effect_percent",
              "control_peak_effect_percent",
              "blockade_percent"};
  // The control as the run table takes it (cli/scenario_runner.cpp): the lesson's control
  // role first, and never compared with itself.
  const Trajectory* control = find_control_arm(spec, arms);
  if (spec.lesson && !spec.lesson->arm("control").empty())
    for (const Trajectory& tr : arms)
      if (tr.arm == spec.lesson->arm("control")) control = &tr;
  for (const Trajectory& tr : arms)
    for (const ChallengeResult& c :
         analyse_challenges(spec, tr, control == &tr ? nullptr : control))
      t.rows.push_back({tr.arm, in_unit(c.dose_time_h, u), c.formulation, csv_number(c.amount_mg),
                        csv_number(100.0 * c.peak_agonist_occupancy), in_unit(c.peak_time_h, u),
                        csv_number(100.0 * c.antagonist_occupancy),
                        csv_number(100.0 * c.peak_effect),
                        csv_number(100.0 * c.control_peak_effect), csv_number(100.0 * c.blockade)});
  return t;
}

// Every target checked before the first is written; returns false (after the message) on a
// refusal.
bool targets_free(const std::string& dir, const std::vector<std::string>& names, bool force) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  try {
    for (const std::string& n : names) {
      const std::string path = (fs::path(dir) / n).string();
      if (fs::path(n).extension() == ".csv")
        check_output(path, force, OutputKind::kTable);
      else
        refuse_existing(path, force);
    }
  } catch (const OutputError& e) {
    std::cerr << "morsim export: " << e.what() << "\n";
    return false;
  }
  return true;
}

void write_text(const std::string& path, const std::string& text, bool force) {
  PartialFile part(path);
  {
    std::ofstream out(part.path(), std::ios::binary);
    out << text;
    if (!out.flush()) throw OutputError("cannot write " + part.path());
  }
  part.commit(force);
}

}  // namespace

void add_export_command(CLI::App& app, int* exit_code) {
  auto* cmd = app.add_subcommand("export",
                                 "Write a results file as CSV: per arm its time course and "
                                 "doses, and the challenge table; or its doses as a "
                                 "NONMEM-style dataset.\n"
                                 "Example: morsim export demo.h5 --csv demo-csv");
  struct Args {
    std::string input, dir, nonmem_dir;
    bool force = false, quiet = false;
  };
  auto args = std::make_shared<Args>();
  cmd->add_option("results", args->input, "Results file (HDF5) written by morsim")
      ->required()
      ->check(CLI::ExistingFile);
  cmd->add_option("--csv", args->dir, "Folder for the CSV files (created if missing)");
  cmd->add_option("--nonmem", args->nonmem_dir,
                  "Folder for dataset.csv (NONMEM records of the doses as taken, EVID 0 at the "
                  "output times) and mapping.toml (its [dataset] table)");
  cmd->add_flag("-f,--force", args->force, "Replace existing CSV files");
  cmd->add_flag("-q,--quiet", args->quiet, "Print nothing but errors");
  cmd->callback([args, exit_code] {
    *exit_code = guarded("export", [&]() -> int {
      if (args->dir.empty() && args->nonmem_dir.empty()) {
        std::cerr << "morsim export: nothing to write (required: --csv DIR, --nonmem DIR or "
                     "both)\n";
        return kBadInput;
      }
      std::vector<Trajectory> arms;
      for (const std::string& name : list_arms(args->input)) {
        try {
          arms.push_back(read_arm(args->input, name));
        } catch (const OutputError&) {  // a lesson's group (e.g. /schild), not an arm
          if (!args->quiet) std::cerr << "morsim export: skipped group /" << name << "\n";
        }
      }
      if (arms.empty()) throw InputFileError(args->input + " holds no arms");
      const ScenarioSpec spec = scenario_of(read_stored_config(args->input));
      std::vector<std::pair<std::string, CsvTable>> files;
      if (!args->dir.empty()) {
        const TimeUnit u = time_unit_for_span(spec.grid.t_end_h - spec.grid.t_start_h);
        for (const Trajectory& tr : arms) {
          files.emplace_back(tr.arm + ".csv", time_course(tr, u));
          files.emplace_back(tr.arm + "-doses.csv", dose_log(tr, u));
        }
        files.emplace_back("challenges.csv", challenge_table(spec, arms, u));
      }
      nonmem::DatasetExport nm;
      if (!args->nonmem_dir.empty()) {
        nm = nonmem::export_dataset(spec, arms, fs::path(args->input).filename().string());
        if (!targets_free(args->nonmem_dir, {"dataset.csv", "mapping.toml"}, args->force))
          return kBadInput;
      }
      std::vector<std::string> names;
      for (const auto& f : files) names.push_back(f.first);
      if (!args->dir.empty() && !targets_free(args->dir, names, args->force)) return kBadInput;
      if (!args->nonmem_dir.empty()) {
        const fs::path d(args->nonmem_dir);
        write_csv((d / "dataset.csv").string(), nm.dataset, args->force);
        write_text((d / "mapping.toml").string(), nm.mapping_toml, args->force);
        if (!args->quiet)
          std::cout << (d / "dataset.csv").string() << "\n"
                    << (d / "mapping.toml").string() << "\n";
      }
      for (const auto& f : files) {
        const std::string path = (fs::path(args->dir) / f.first).string();
        write_csv(path, f.second, args->force);
        if (!args->quiet) std::cout << path << "\n";
      }
      return kSuccess;
    });
  });
}

}  // namespace morsim::cli
