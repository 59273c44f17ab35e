// Write-then-rename with cleanup on exceptions and on SIGINT/SIGTERM.
#include "io/partial_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>

#include "model/errors.hpp"

namespace morsim {

namespace {

// The signal handler may only touch async-signal-safe state: a fixed buffer and a flag.
constexpr std::size_t kMaxPath = 4096;
char g_partial_path[kMaxPath];
volatile std::sig_atomic_t g_partial_armed = 0;

void arm_cleanup(const std::string& path) {
  g_partial_armed = 0;
  if (path.size() >= kMaxPath) return;  // too long to register; exceptions still clean up
  std::memcpy(g_partial_path, path.c_str(), path.size() + 1);
  g_partial_armed = 1;
}

void disarm_cleanup(const std::string& path) {
  if (g_partial_armed && path == g_partial_path) g_partial_armed = 0;
}

extern "C" void remove_partial_and_reraise(int sig) {
  if (g_partial_armed) unlink(g_partial_path);
  std::signal(sig, SIG_DFL);
  std::raise(sig);
}

std::string errno_text(int err) { return std::strerror(err); }

// fsync so that a crash right after the rename cannot leave an empty file at the target.
void sync_file(const std::string& path) {
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw OutputError("cannot reopen " + path + ": " + errno_text(errno));
  const int rc = fsync(fd);
  const int err = errno;
  close(fd);
  if (rc != 0) throw OutputError("cannot flush " + path + " to disk: " + errno_text(err));
}

[[noreturn]] void throw_exists(const std::string& target) {
  throw OutputError("output file " + target +
                    " already exists; not overwriting it (use --force to replace it)");
}

}  // namespace

void refuse_existing(const std::string& target, bool force) {
  struct stat st {};
  if (stat(target.c_str(), &st) != 0) return;
  if (S_ISDIR(st.st_mode)) throw OutputError("output path " + target + " is a directory");
  if (!force) throw_exists(target);
}

PartialFile::PartialFile(std::string target)
    : target_(std::move(target)),
      path_(target_ + "." + std::to_string(static_cast<long>(getpid())) + ".partial") {
  // The name is ours by pid: any file with it is left over from a killed run with a recycled
  // pid, or from this process, never another live writer.
  unlink(path_.c_str());
  arm_cleanup(path_);
}

PartialFile::~PartialFile() {
  disarm_cleanup(path_);
  if (!committed_) unlink(path_.c_str());
}

void PartialFile::commit(bool force) {
  sync_file(path_);
  if (force) {
    if (rename(path_.c_str(), target_.c_str()) != 0)
      throw OutputError("cannot move " + path_ + " to " + target_ + ": " + errno_text(errno));
  } else if (link(path_.c_str(), target_.c_str()) == 0) {
    // link() fails if the target exists, atomically: no window in which another file there
    // could be replaced.
    unlink(path_.c_str());
  } else if (errno == EEXIST) {
    throw_exists(target_);
  } else {
    // Filesystems without hard links: check, then rename (a small race, but no worse).
    if (access(target_.c_str(), F_OK) == 0) throw_exists(target_);
    if (rename(path_.c_str(), target_.c_str()) != 0)
      throw OutputError("cannot move " + path_ + " to " + target_ + ": " + errno_text(errno));
  }
  committed_ = true;
  disarm_cleanup(path_);
}

void install_partial_file_cleanup() {
  for (int sig : {SIGINT, SIGTERM}) {
    struct sigaction current {};
    if (sigaction(sig, nullptr, &current) != 0) continue;
    if (current.sa_handler != SIG_DFL || (current.sa_flags & SA_SIGINFO) != 0) continue;
    struct sigaction action {};
    action.sa_handler = remove_partial_and_reraise;
    sigemptyset(&action.sa_mask);
    sigaction(sig, &action, nullptr);
  }
}

}  // namespace morsim
