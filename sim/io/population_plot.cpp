// Writes the embedded script to a temporary file and runs it, as plot.cpp does for runs.
#include "io/population_plot.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "io/partial_file.hpp"
#include "io/subprocess.hpp"
#include "model/errors.hpp"
#include "resources/resources.hpp"

namespace morsim {

namespace {

constexpr const char* kScript = "sim/plot/morsim_population_plot.py";

std::string extension(const std::string& path) {
  const std::size_t dot = path.find_last_of('.'), slash = path.find_last_of('/');
  if (dot == std::string::npos || (slash != std::string::npos && dot < slash)) return "";
  return path.substr(dot + 1);
}

}  // namespace

void plot_population(const std::string& h5_path, const std::string& figure_path, bool force,
                     const std::string& python) {
  const std::string format = extension(figure_path);
  if (format != "png" && format != "svg" && format != "pdf")
    throw OutputError("figure " + figure_path + ": unknown format; use a .png, .svg or .pdf name");
  refuse_existing(figure_path, force);
  const char* text = find_resource(kScript);
  if (text == nullptr) throw OutputError(std::string(kScript) + " is not embedded in this build");
  const char* dir = std::getenv("TMPDIR");
  std::string script =
      std::string(dir != nullptr && *dir != '\0' ? dir : "/tmp") + "/morsim_population_XXXXXX.py";
  const int fd = mkstemps(script.data(), 3);
  if (fd < 0) throw OutputError("cannot create " + script + ": " + std::strerror(errno));
  const std::size_t len = std::strlen(text);
  const bool ok = write(fd, text, len) == static_cast<ssize_t>(len);
  close(fd);
  struct Unlink {
    std::string p;
    ~Unlink() { unlink(p.c_str()); }
  } remove_script{script};
  if (!ok) throw OutputError("cannot write " + script);
  PartialFile partial(figure_path);
  const ProcessResult r = run_process(
      {python, script, "--output=" + partial.path(), "--format=" + format, "--", h5_path});
  if (r.exit_code != 0 || access(partial.path().c_str(), F_OK) != 0)
    throw OutputError("plotting " + h5_path + " failed (exit code " + std::to_string(r.exit_code) +
                      ")" + (r.stderr_text.empty() ? "" : ":\n" + r.stderr_text));
  partial.commit(force);
}

}  // namespace morsim
