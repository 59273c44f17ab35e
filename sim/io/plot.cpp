// plot_results: writes the embedded script to a temporary file and runs it with python.
#include "io/plot.hpp"

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "io/partial_file.hpp"
#include "io/results_file.hpp"
#include "io/subprocess.hpp"
#include "model/errors.hpp"
#include "resources/resources.hpp"

namespace morsim {

namespace {

constexpr const char* kScriptResource = "sim/plot/morsim_plot.py";

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

// The script as a file python can run; removed again when this goes out of scope.
class TempScript {
 public:
  explicit TempScript(const char* text) {
    const char* dir = std::getenv("TMPDIR");
    path_ = std::string(dir != nullptr && *dir != '\0' ? dir : "/tmp") + "/morsim_plot_XXXXXX.py";
    const int fd = mkstemps(path_.data(), 3);
    if (fd < 0) throw OutputError("cannot create " + path_ + ": " + std::strerror(errno));
    const std::size_t len = std::strlen(text);
    std::size_t done = 0;
    while (done < len) {
      const ssize_t n = write(fd, text + done, len - done);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        const int err = errno;
        close(fd);
        unlink(path_.c_str());
        throw OutputError("cannot write " + path_ + ": " + std::strerror(err));
      }
      done += static_cast<std::size_t>(n);
    }
    close(fd);
  }
  ~TempScript() { unlink(path_.c_str()); }
  TempScript(const TempScript&) = delete;
  TempScript& operator=(const TempScript&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

std::string join(const std::vector<std::string>& v, char sep) {
  std::string out;
  for (const std::string& s : v) out += (out.empty() ? "" : std::string(1, sep)) + s;
  return out;
}

}  // namespace

void plot_results(const std::string& h5_path, const std::string& figure_path,
                  const PlotOptions& opts) {
  const std::string format = figure_format(figure_path);
  refuse_existing(figure_path, opts.force);
  const char* script_text = find_resource(kScriptResource);
  if (script_text == nullptr)
    throw OutputError(std::string("the plotting script ") + kScriptResource +
                      " is not embedded in this build");
  TempScript script(script_text);
  PartialFile partial(figure_path);

  // "--opt=value" and "--" keep values that start with '-' from being read as options.
  std::vector<std::string> argv{opts.python, script.path(), "--output=" + partial.path(),
                                "--format=" + format,
                                "--format-version=" + std::to_string(kResultsFormatVersion)};
  if (!opts.arms.empty()) argv.push_back("--arms=" + join(opts.arms, ','));
  if (!opts.title.empty()) argv.push_back("--title=" + opts.title);
  argv.insert(argv.end(), {"--", h5_path});
  const ProcessResult r = run_process(argv);
  if (r.term_signal == 0 && r.exit_code == 2) {  // the script's one line about a bad file
    std::string line = r.stderr_text;
    while (!line.empty() && line.back() == '\n') line.pop_back();
    const std::string prefix = "morsim_plot: ";
    if (line.compare(0, prefix.size(), prefix) == 0) line.erase(0, prefix.size());
    throw InputFileError(line);
  }
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
