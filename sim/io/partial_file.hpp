// Write-then-rename for output files: a reader never sees a half-written result or figure.
#pragma once

#include <string>

namespace morsim {

// Throws OutputError when `target` exists and overwriting was not asked for, or when it is a
// directory. Checked before any work so that a refused run costs nothing.
void refuse_existing(const std::string& target, bool force);

// Everything about an output path that can be known before any work, for the commands to
// check first: refuse_existing, a name that says what the file is (.h5 / .hdf5 for results;
// .png, .svg or .pdf for figures: HDF5 is never written under a figure's name), and a folder
// that exists and is writable. Also removes temporaries of this target left by a killed run
// (see remove_stale_temporaries). Throws OutputError.
enum class OutputKind { kResults, kFigure, kTable };  // .h5; .png/.svg/.pdf; .csv
void check_output(const std::string& target, bool force, OutputKind kind);
bool is_figure_name(const std::string& path);

// Removes `<target>.<pid>.partial` and `<target>.<pid>.<n>.scratch` files whose process is
// gone (a run killed with SIGKILL cannot clean up), naming each on stderr.
void remove_stale_temporaries(const std::string& target);

// Registers a temporary file for removal by the SIGINT/SIGTERM handlers of
// install_partial_file_cleanup() for as long as the object lives (it does not remove the
// file itself). Up to 8 at once.
class RemoveOnSignal {
 public:
  explicit RemoveOnSignal(std::string path);
  ~RemoveOnSignal();
  RemoveOnSignal(const RemoveOnSignal&) = delete;
  RemoveOnSignal& operator=(const RemoveOnSignal&) = delete;

 private:
  std::string path_;
};

// A temporary file `<target>.<pid>.partial` in the target's folder (so the final rename is
// atomic). Removed by the destructor unless commit() succeeded, and by the signal handlers of
// install_partial_file_cleanup() if the process is killed meanwhile.
class PartialFile {
 public:
  explicit PartialFile(std::string target);
  ~PartialFile();
  PartialFile(const PartialFile&) = delete;
  PartialFile& operator=(const PartialFile&) = delete;

  const std::string& path() const { return path_; }
  const std::string& target() const { return target_; }
  // Makes the partial file durable and moves it onto the target. Without `force` an existing
  // target (even one created since refuse_existing) is left untouched and OutputError thrown.
  void commit(bool force);

 private:
  std::string target_;
  std::string path_;
  bool committed_ = false;
};

// Installs SIGINT/SIGTERM handlers that unlink the current partial file and then re-raise the
// signal with its default action, so a run killed while writing leaves no file behind. Signals
// that already have a handler (e.g. a graceful-stop flag) keep it: the stop then unwinds
// through ~PartialFile. Idempotent.
void install_partial_file_cleanup();

}  // namespace morsim
