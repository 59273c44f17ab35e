// Write-then-rename with cleanup on exceptions and on SIGINT/SIGTERM.
#include "io/partial_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <mutex>

#include "model/errors.hpp"

namespace morsim {

namespace {

// The signal handler may only touch async-signal-safe state: fixed buffers and flags. A few
// slots, for a partial output and a scratch file at the same time.
constexpr std::size_t kMaxPath = 4096;
constexpr int kSlots = 8;
char g_paths[kSlots][kMaxPath];
volatile std::sig_atomic_t g_armed[kSlots] = {};
std::mutex g_slots_mutex;  // arm/disarm from any thread; the handler only reads

void arm_cleanup(const std::string& path) {
  if (path.size() >= kMaxPath) return;  // too long to register; exceptions still clean up
  const std::lock_guard<std::mutex> lock(g_slots_mutex);
  for (int i = 0; i < kSlots; ++i)
    if (!g_armed[i]) {
      std::memcpy(g_paths[i], path.c_str(), path.size() + 1);
      g_armed[i] = 1;
      return;
    }
}

void disarm_cleanup(const std::string& path) {
  const std::lock_guard<std::mutex> lock(g_slots_mutex);
  for (int i = 0; i < kSlots; ++i)
    if (g_armed[i] && path == g_paths[i]) {
      g_armed[i] = 0;
      return;
    }
}

extern "C" void remove_partial_and_reraise(int sig) {
  for (int i = 0; i < kSlots; ++i)
    if (g_armed[i]) unlink(g_paths[i]);
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

bool is_figure_name(const std::string& path) {
  const std::string ext = std::filesystem::path(path).extension().string();
  return ext == ".png" || ext == ".svg" || ext == ".pdf";
}

void check_output(const std::string& target, bool force, OutputKind kind) {
  namespace fs = std::filesystem;
  if (target.empty()) throw OutputError("an output path is empty");
  const std::string ext = fs::path(target).extension().string();
  if (kind == OutputKind::kResults && ext != ".h5" && ext != ".hdf5")
    throw OutputError("output " + target + ": a results file is HDF5; name it .h5 or .hdf5" +
                      (is_figure_name(target) ? " (a figure goes to --plot)" : ""));
  if (kind == OutputKind::kTable && ext != ".csv")
    throw OutputError("output " + target + ": a table is CSV; name it .csv");
  if (kind == OutputKind::kFigure && !is_figure_name(target))
    throw OutputError("figure " + target + ": unknown format; use a .png, .svg or .pdf name");
  const fs::path dir = fs::path(target).has_parent_path() ? fs::path(target).parent_path() : ".";
  struct stat st {};
  if (stat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
    throw OutputError("output " + target + ": the folder " + dir.string() + " does not exist");
  if (access(dir.c_str(), W_OK | X_OK) != 0)
    throw OutputError("output " + target + ": the folder " + dir.string() +
                      " is not writable: " + errno_text(errno));
  refuse_existing(target, force);
  remove_stale_temporaries(target);
}

void remove_stale_temporaries(const std::string& target) {
  namespace fs = std::filesystem;
  const fs::path t(target);
  const fs::path dir = t.has_parent_path() ? t.parent_path() : ".";
  const std::string stem = t.filename().string() + ".";
  std::error_code ec;
  for (const fs::directory_entry& e : fs::directory_iterator(dir, ec)) {
    const std::string name = e.path().filename().string();
    if (name.compare(0, stem.size(), stem) != 0) continue;
    const bool partial = name.size() > 8 && name.compare(name.size() - 8, 8, ".partial") == 0;
    const bool scratch = name.size() > 8 && name.compare(name.size() - 8, 8, ".scratch") == 0;
    if (!partial && !scratch) continue;
    // The pid is the part after the target's name, up to the next dot.
    const std::string rest = name.substr(stem.size());
    const std::string pid_text = rest.substr(0, rest.find('.'));
    if (pid_text.empty() || pid_text.find_first_not_of("0123456789") != std::string::npos) continue;
    const long pid = std::stol(pid_text);
    if (pid == static_cast<long>(getpid())) continue;
    if (kill(static_cast<pid_t>(pid), 0) == 0 || errno != ESRCH) continue;  // alive, or not ours
    if (fs::remove(e.path(), ec))
      std::cerr << "morsim: removed " << e.path().string() << ", left by process " << pid
                << " which is gone\n";
  }
}

RemoveOnSignal::RemoveOnSignal(std::string path) : path_(std::move(path)) { arm_cleanup(path_); }
RemoveOnSignal::~RemoveOnSignal() { disarm_cleanup(path_); }

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
