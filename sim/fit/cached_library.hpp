// Model files read from disk once per fit: every evaluation of the objective reloads the
// datasets' scenarios with new overrides, and must not touch the file system again.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "config/load_scenario.hpp"

namespace morsim::fit {

// Wraps another library and remembers each answer. Thread-safe: the objective's worker threads
// load scenarios through one instance.
class CachedLibrary : public ModelLibrary {
 public:
  explicit CachedLibrary(std::unique_ptr<ModelLibrary> inner);
  std::optional<ModelFile> find(const std::string& relative) const override;
  std::vector<std::string> names(const std::string& folder) const override;
  std::string description() const override { return description_; }
  std::vector<std::string> model_sets() const override { return inner_->model_sets(); }

 private:
  std::unique_ptr<ModelLibrary> inner_;
  std::string description_;
  mutable std::mutex mu_;
  mutable std::map<std::string, std::optional<ModelFile>> files_;
  mutable std::map<std::string, std::vector<std::string>> names_;
};

// A scenario file held as text with the library it loads from, so that it can be loaded
// again and again with different overrides.
struct ScenarioSource {
  std::string path;  // as given (relative to the working directory), for messages
  std::string text;
  std::shared_ptr<const ModelLibrary> library;

  // load_scenario_text with `overrides` ("path=value unit"), in order.
  ScenarioSpec load(const std::vector<std::string>& overrides) const;
};

// Reads `path` and picks its models the way load_scenario_file does: `[scenario] models`
// relative to the file, else the nearest models/ folder upward, else the built-in models.
// Libraries are shared through `cache` (keyed by folder), so each model file is read once per
// fit. Throws ConfigError when the file is missing or not TOML.
ScenarioSource read_scenario_source(
    const std::string& path, std::map<std::string, std::shared_ptr<const ModelLibrary>>& cache);

}  // namespace morsim::fit
