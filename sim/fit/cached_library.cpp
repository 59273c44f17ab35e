// The in-memory model library of a fit and the scenario sources that load through it.
#include "fit/cached_library.hpp"

#include <toml++/toml.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "config/toml_shape.hpp"
#include "model/errors.hpp"

namespace morsim::fit {

namespace fs = std::filesystem;

CachedLibrary::CachedLibrary(std::unique_ptr<ModelLibrary> inner)
    : inner_(std::move(inner)), description_(inner_->description()) {}

std::optional<ModelFile> CachedLibrary::find(const std::string& relative) const {
  const std::lock_guard<std::mutex> lock(mu_);
  auto it = files_.find(relative);
  if (it == files_.end()) it = files_.emplace(relative, inner_->find(relative)).first;
  return it->second;
}

std::vector<std::string> CachedLibrary::names(const std::string& folder) const {
  const std::lock_guard<std::mutex> lock(mu_);
  auto it = names_.find(folder);
  if (it == names_.end()) it = names_.emplace(folder, inner_->names(folder)).first;
  return it->second;
}

ScenarioSpec ScenarioSource::load(const std::vector<std::string>& overrides) const {
  return load_scenario_text(text, path, *library, overrides);
}

ScenarioSource read_scenario_source(
    const std::string& path, std::map<std::string, std::shared_ptr<const ModelLibrary>>& cache) {
  ScenarioSource src;
  src.path = path;
  {
    std::ifstream in(path, std::ios::binary);
    if (!in)
      throw ConfigError(path, 0, "(file)", fs::exists(path) ? "cannot be read" : "no such file");
    std::ostringstream text;
    text << in.rdbuf();
    src.text = text.str();
  }
  config::check_toml_shape(src.text, path);
  try {
    (void)toml::parse(src.text, path);
  } catch (const toml::parse_error& e) {
    throw ConfigError(path, static_cast<int>(e.source().begin.line), "(syntax)",
                      "not valid TOML: " + std::string(e.description()) + " (column " +
                          std::to_string(e.source().begin.column) + ")");
  }
  // The one model search (config/model_library.cpp); files are cached per library.
  std::unique_ptr<ModelLibrary> inner = model_library_for(path, src.text);
  const std::string key = inner->description();
  auto it = cache.find(key);
  if (it == cache.end())
    it = cache.emplace(key, std::make_shared<CachedLibrary>(std::move(inner))).first;
  src.library = it->second;
  return src;
}

}  // namespace morsim::fit
