// plot_results: writes the embedded scripts to a temporary folder and runs them with python.
#include "io/plot.hpp"

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string_view>

#include "io/partial_file.hpp"
#include "io/results_file.hpp"
#include "io/subprocess.hpp"
#include "model/errors.hpp"
#include "resources/resources.hpp"

namespace morsim {

namespace {

constexpr std::string_view kScriptDir = "sim/plot/";
constexpr const char* kMainScript = "morsim_plot.py";
// The scripts' exit code for "this interpreter lacks matplotlib, h5py or numpy".
constexpr int kMissingModule = 3;
constexpr const char* kFallbackPython = "/usr/bin/python3";

std::string figure_format(const std::string& path) {
  const std::size_t dot = path.find_last_of('.');
  const std::size_t slash = path.find_last_of('/');
  std::string ext;
  if (dot != std::string::npos && (slash == std::string::npos || dot > slash))
    ext = path.substr(dot + 1);
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (ext != "png" && ext != "svg" && ext != "pdf")
    throw OutputError("figure " + path + ": unknown format; use a .png, .svg or .pdf name");
  return ext;
}

void write_file(const std::string& path, const char* text) {
  FILE* f = std::fopen(path.c_str(), "wx");
  if (f == nullptr) throw OutputError("cannot create " + path + ": " + std::strerror(errno));
  const std::size_t len = std::strlen(text);
  const bool ok = std::fwrite(text, 1, len, f) == len;
  if (std::fclose(f) != 0 || !ok) throw OutputError("cannot write " + path);
}

// Every sim/plot/*.py in one private folder, so the main script imports the others (the
// shared colours, the sweep and population figures) from its own directory; removed again
// when this goes out of scope.
class TempScripts {
 public:
  TempScripts() {
    const char* dir = std::getenv("TMPDIR");
    dir_ = std::string(dir != nullptr && *dir != '\0' ? dir : "/tmp") + "/morsim_plot_XXXXXX";
    if (mkdtemp(dir_.data()) == nullptr)
      throw OutputError("cannot create " + dir_ + ": " + std::strerror(errno));
    try {
      for (const Resource& r : embedded_resources()) {
        const std::string_view path(r.path);
        if (path.substr(0, kScriptDir.size()) != kScriptDir || path.find(".py") == path.npos)
          continue;
        write_file(dir_ + "/" + std::string(path.substr(kScriptDir.size())), r.text);
      }
    } catch (...) {
      remove_all();
      throw;
    }
    if (access(main_script().c_str(), R_OK) != 0) {
      remove_all();
      throw OutputError(std::string("the plotting script ") + std::string(kScriptDir) +
                        kMainScript + " is not embedded in this build");
    }
  }
  ~TempScripts() { remove_all(); }
  TempScripts(const TempScripts&) = delete;
  TempScripts& operator=(const TempScripts&) = delete;
  std::string main_script() const { return dir_ + "/" + kMainScript; }

 private:
  void remove_all() {
    std::error_code ec;  // a destructor must not throw; a leftover temp folder is harmless
    std::filesystem::remove_all(dir_, ec);
  }
  std::string dir_;
};

std::string join(const std::vector<std::string>& v, char sep) {
  std::string out;
  for (const std::string& s : v) out += (out.empty() ? "" : std::string(1, sep)) + s;
  return out;
}

// `name` as run_process needs it: unchanged when it has a slash, else the first executable
// of that name on PATH ("" when there is none).
std::string find_on_path(const std::string& name) {
  if (name.find('/') != std::string::npos) return name;
  const char* path = std::getenv("PATH");
  std::string_view rest(path != nullptr ? path : "");
  while (!rest.empty()) {
    const std::size_t colon = rest.find(':');
    const std::string dir(rest.substr(0, colon));
    rest = colon == rest.npos ? std::string_view() : rest.substr(colon + 1);
    const std::string candidate = (dir.empty() ? "." : dir) + "/" + name;
    if (access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return "";
}

std::vector<std::string> script_arguments(const std::string& output, const std::string& format,
                                          const std::string& h5_path, const PlotOptions& opts) {
  // "--opt=value" and "--" keep values that start with '-' from being read as options.
  std::vector<std::string> args{"--output=" + output, "--format=" + format,
                                "--format-version=" + std::to_string(kResultsFormatVersion)};
  if (opts.population_format_version != 0)
    args.push_back("--population-format-version=" + std::to_string(opts.population_format_version));
  if (!opts.arms.empty()) args.push_back("--arms=" + join(opts.arms, ','));
  if (!opts.title.empty()) args.push_back("--title=" + opts.title);
  if (!opts.size.empty()) args.push_back("--size=" + opts.size);
  if (!opts.metric.empty()) args.push_back("--metric=" + opts.metric);
  if (!opts.plasma_unit.empty()) args.push_back("--plasma-unit=" + opts.plasma_unit);
  if (!opts.molar_masses.empty()) {
    std::vector<std::string> items;
    for (const auto& [name, mw] : opts.molar_masses)
      items.push_back(name + "=" + std::to_string(mw));
    args.push_back("--molar-mass=" + join(items, ','));
  }
  args.insert(args.end(), {"--", h5_path});
  return args;
}

std::string first_line(std::string text) {
  while (!text.empty() && text.back() == '\n') text.pop_back();
  const std::string prefix = "morsim_plot: ";
  if (text.compare(0, prefix.size(), prefix) == 0) text.erase(0, prefix.size());
  return text;
}

// Runs the script with the first interpreter that can: one that cannot be started or lacks
// a module (exit 3) hands over to the next, so a python3 on PATH without matplotlib (a bare
// virtualenv, pyenv) does not hide the system's.
ProcessResult run_with_some_python(const std::vector<std::string>& candidates,
                                   const std::vector<std::string>& args) {
  std::string tried;
  for (const std::string& python : candidates) {
    std::vector<std::string> argv{python};
    argv.insert(argv.end(), args.begin(), args.end());
    try {
      ProcessResult r = run_process(argv);
      if (r.term_signal != 0 || r.exit_code != kMissingModule) return r;
      tried += (tried.empty() ? "" : "; ") + first_line(r.stderr_text);
    } catch (const OutputError& e) {
      tried += (tried.empty() ? "" : "; ") + std::string(e.what());
    }
  }
  throw OutputError("no Python with matplotlib, h5py and numpy to draw the figure (" + tried +
                    "); set MORSIM_PYTHON to one");
}

}  // namespace

std::vector<std::string> python_candidates() {
  const char* chosen = std::getenv("MORSIM_PYTHON");
  if (chosen != nullptr && *chosen != '\0') {
    const std::string found = find_on_path(chosen);
    return {found.empty() ? std::string(chosen) : found};
  }
  std::vector<std::string> out;
  const std::string on_path = find_on_path("python3");
  if (!on_path.empty()) out.push_back(on_path);
  if (on_path != kFallbackPython) out.push_back(kFallbackPython);
  return out;
}

void plot_results(const std::string& h5_path, const std::string& figure_path,
                  const PlotOptions& opts) {
  const std::string format = figure_format(figure_path);
  refuse_existing(figure_path, opts.force);
  TempScripts scripts;
  PartialFile partial(figure_path);
  std::vector<std::string> args = script_arguments(partial.path(), format, h5_path, opts);
  args.insert(args.begin(), scripts.main_script());
  const ProcessResult r = run_with_some_python(
      opts.python.empty() ? python_candidates() : std::vector<std::string>{opts.python}, args);
  if (r.term_signal == 0 && r.exit_code == 2)  // the script's one line about a bad file
    throw InputFileError(first_line(r.stderr_text));
  if (r.exit_code != 0 || access(partial.path().c_str(), F_OK) != 0) {
    const std::string how = r.term_signal != 0
                                ? "was killed by signal " + std::to_string(r.term_signal)
                                : "failed with exit code " + std::to_string(r.exit_code);
    throw OutputError("plotting " + h5_path + " " + how + (r.stderr_text.empty() ? "" : ":\n") +
                      r.stderr_text);
  }
  partial.commit(opts.force);
}

}  // namespace morsim
