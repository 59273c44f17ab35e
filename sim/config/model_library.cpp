// Finding model files on disk or among the resources compiled into the binary.
#include <algorithm>
#include <fstream>
#include <sstream>

#include "config/load_scenario.hpp"
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
