// Write-then-rename for output files: a reader never sees a half-written result or figure.
#pragma once

#include <string>

namespace morsim {

// Throws OutputError when `target` exists and overwriting was not asked for, or when it is a
// directory. Checked before any work so that a refused run costs nothing.
void refuse_existing(const std::string& target, bool force);

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
