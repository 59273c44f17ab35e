// Finding model files on disk or among the resources compiled into the binary, and the one
// search that picks a config's library.
#include <toml++/toml.h>

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

#include "config/load_scenario.hpp"
#include "model/errors.hpp"
#include "resources/resources.hpp"

namespace morsim {

DirectoryLibrary::DirectoryLibrary(std::filesystem::path models_dir)
    : dir_(std::move(models_dir)) {}

std::optional<ModelFile> DirectoryLibrary::find(const std::string& relative) const {
  const std::filesystem::path p = (dir_ / relative).lexically_normal();
  std::ifstream in(p, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  return ModelFile{p.string(), text.str()};
}

std::vector<std::string> DirectoryLibrary::names(const std::string& folder) const {
  std::vector<std::string> out;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(dir_ / folder, ec))
    if (e.path().extension() == ".toml") out.push_back(e.path().stem().string());
  std::sort(out.begin(), out.end());
  return out;
}

std::string DirectoryLibrary::description() const { return "models in " + dir_.string(); }

namespace {

bool is_model_folder(const std::string& name) {
  return name == "compounds" || name == "formulations" || name == "receptor";
}

}  // namespace

std::vector<std::string> DirectoryLibrary::model_sets() const {
  std::vector<std::string> out;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(dir_, ec)) {
    const std::string name = e.path().filename().string();
    if (!e.is_directory(ec) || is_model_folder(name)) continue;
    for (const char* folder : {"compounds", "formulations", "receptor"})
      if (std::filesystem::is_directory(e.path() / folder, ec)) {
        out.push_back(name);
        break;
      }
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::optional<ModelFile> EmbeddedLibrary::find(const std::string& relative) const {
  const std::string path = "models/" + relative;
  if (const char* text = find_resource(path)) return ModelFile{path + " (built-in)", text};
  return std::nullopt;
}

std::vector<std::string> EmbeddedLibrary::names(const std::string& folder) const {
  const std::string prefix = "models/" + folder + "/";
  std::vector<std::string> out;
  for (const Resource& r : embedded_resources()) {
    const std::string_view p = r.path;
    if (p.substr(0, prefix.size()) == prefix && p.size() > 5 && p.substr(p.size() - 5) == ".toml")
      out.emplace_back(p.substr(prefix.size(), p.size() - prefix.size() - 5));
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::string EmbeddedLibrary::description() const { return "built-in models"; }

std::vector<std::string> EmbeddedLibrary::model_sets() const {
  std::set<std::string> out;
  for (const Resource& r : embedded_resources()) {
    const std::string p = r.path;  // models/<set>/<folder>/<name>.toml
    if (p.rfind("models/", 0) != 0) continue;
    const std::size_t a = p.find('/', 7), b = a == std::string::npos ? a : p.find('/', a + 1);
    if (b == std::string::npos) continue;
    const std::string set = p.substr(7, a - 7), folder = p.substr(a + 1, b - a - 1);
    if (!is_model_folder(set) && is_model_folder(folder)) out.insert(set);
  }
  return {out.begin(), out.end()};
}

ModelSetLibrary::ModelSetLibrary(const ModelLibrary& base, std::string name)
    : base_(base), name_(std::move(name)) {}

std::optional<ModelFile> ModelSetLibrary::find(const std::string& relative) const {
  return base_.find(name_ + "/" + relative);
}

std::vector<std::string> ModelSetLibrary::names(const std::string& folder) const {
  return base_.names(name_ + "/" + folder);
}

std::string ModelSetLibrary::description() const { return base_.description() + ", set " + name_; }

bool is_model_set_name(const std::string& models) {
  return !models.empty() && models.find('/') == std::string::npos &&
         models.find('\\') == std::string::npos && models != "." && models != "..";
}

std::unique_ptr<ModelLibrary> model_library_for(const std::string& config_path,
                                                const std::string& text) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::path(config_path).parent_path();
  try {
    const toml::table root = toml::parse(text, config_path);
    if (const toml::table* s = root.get_as<toml::table>("scenario"))
      if (const toml::node* m = s->get("models"); m && m->is_string()) {
        const std::string value = m->as_string()->get();
        if (!is_model_set_name(value)) {
          const fs::path models = dir / value;
          if (!fs::is_directory(models))
            throw ConfigError(config_path, static_cast<int>(m->source().begin.line),
                              "scenario.models",
                              "no folder '" + models.string() +
                                  "' (allowed: a folder relative to the config, or the name of "
                                  "a model set such as \"fda2022\")");
          return std::make_unique<DirectoryLibrary>(models);
        }
      }
  } catch (const toml::parse_error&) {
    // the loader reports the syntax error with its line
  }
  if (const auto models = find_models_dir(dir.empty() ? fs::path(".") : dir))
    return std::make_unique<DirectoryLibrary>(*models);
  return std::make_unique<EmbeddedLibrary>();
}

std::optional<std::filesystem::path> find_models_dir(const std::filesystem::path& start_dir) {
  std::error_code ec;
  std::filesystem::path dir = std::filesystem::absolute(start_dir, ec);
  if (ec) return std::nullopt;
  for (;;) {
    const std::filesystem::path candidate = dir / "models";
    if (std::filesystem::is_directory(candidate / "compounds", ec)) return candidate;
    if (!dir.has_parent_path() || dir.parent_path() == dir) return std::nullopt;
    dir = dir.parent_path();
  }
}

}  // namespace morsim
