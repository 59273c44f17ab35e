// Loading a scenario: TOML files (a config in configs/, compounds and formulations in models/)
// become one checked ScenarioSpec in internal units. Every mistake throws one ConfigError
// naming file, line and key; see docs/config.md for the file formats.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "model/scenario.hpp"

namespace morsim {

// The text of one model file and the name to print in messages.
struct ModelFile {
  std::string display_path;  // "models/compounds/heroin.toml" or "... (built-in)"
  std::string text;
};

// Where compound, formulation and receptor files are found, by path relative to models/:
// "compounds/heroin.toml", "formulations/heroin-iv.toml", "receptor/mor.toml".
class ModelLibrary {
 public:
  virtual ~ModelLibrary() = default;
  virtual std::optional<ModelFile> find(const std::string& relative) const = 0;
  // File stems in a folder ("compounds"), for "did you mean" suggestions.
  virtual std::vector<std::string> names(const std::string& folder) const = 0;
  virtual std::string description() const = 0;  // "models/ at /path" or "built-in models"
  // Subfolders holding their own compounds/, formulations/ or receptor/ ("fda2022"): model
  // sets a config selects with `[scenario] models = "fda2022"`.
  virtual std::vector<std::string> model_sets() const { return {}; }
};

// The model set `name` of `base`: the files below `base`'s subfolder `name`.
class ModelSetLibrary : public ModelLibrary {
 public:
  ModelSetLibrary(const ModelLibrary& base, std::string name);
  std::optional<ModelFile> find(const std::string& relative) const override;
  std::vector<std::string> names(const std::string& folder) const override;
  std::string description() const override;

 private:
  const ModelLibrary& base_;
  std::string name_;
};

// Model files in a folder on disk.
class DirectoryLibrary : public ModelLibrary {
 public:
  explicit DirectoryLibrary(std::filesystem::path models_dir);
  std::optional<ModelFile> find(const std::string& relative) const override;
  std::vector<std::string> names(const std::string& folder) const override;
  std::string description() const override;
  std::vector<std::string> model_sets() const override;

 private:
  std::filesystem::path dir_;
};

// Model files compiled into the binary (sim/resources), so configs run from any folder.
class EmbeddedLibrary : public ModelLibrary {
 public:
  std::optional<ModelFile> find(const std::string& relative) const override;
  std::vector<std::string> names(const std::string& folder) const override;
  std::string description() const override;
  std::vector<std::string> model_sets() const override;
};

// The nearest folder named `models` holding `compounds/`, searching upward from `start_dir`.
std::optional<std::filesystem::path> find_models_dir(const std::filesystem::path& start_dir);

// The one model search of every config file (scenario, sweep, population, fit): the folder of
// `[scenario] models` when it is a path ("../models", with a '/'), relative to the config; else
// the nearest models/ upward from the config; else the built-in models. A model set
// (`models = "fda2022"`, a name without '/') is taken from that library by the loader.
// `text` is the config's text; a path that is not a folder throws ConfigError with its line.
std::unique_ptr<ModelLibrary> model_library_for(const std::string& config_path,
                                                const std::string& text);

// `[scenario] models` as a model set's name: no '/' and not "." or "..".
bool is_model_set_name(const std::string& models);

// Loads a config file, with the models of model_library_for().
// `overrides` are "path=value" strings, e.g. "naltrexone.ke0=1.5 /h"; they win over the
// config's [overrides] table.
ScenarioSpec load_scenario_file(const std::string& path,
                                const std::vector<std::string>& overrides = {});

// The same, with [[arm]] tables optional (kNo): `morsim run --dataset` takes its arms from
// the dataset, so a scenario written for datasets may have none.
enum class ArmsRequired { kYes, kNo };
ScenarioSpec load_scenario_file(const std::string& path, const std::vector<std::string>& overrides,
                                ArmsRequired arms);

// Loads config text (e.g. an embedded demo); `display_name` is used in error messages. A model
// set named by `[scenario] models` is taken from `library`; a models path is ignored (the
// caller chose `library` by it).
ScenarioSpec load_scenario_text(const std::string& text, const std::string& display_name,
                                const ModelLibrary& library,
                                const std::vector<std::string>& overrides = {});

// Human-readable model for `morsim show`: compounds, state variables, equations, every
// parameter with value, unit and source (marking overrides), the arms and their doses.
std::string describe_model(const ScenarioSpec& spec);

}  // namespace morsim
