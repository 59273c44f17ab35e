#include "cli/progress_line.hpp"

#include <unistd.h>

#include <cstdio>

namespace morsim::cli {

ProgressLine::ProgressLine(std::string what, std::string units, bool quiet)
    : what_(std::move(what)),
      units_(std::move(units)),
      quiet_(quiet),
      tty_(isatty(STDERR_FILENO) != 0) {}

void ProgressLine::operator()(std::uint64_t done, std::uint64_t total) {
  if (quiet_) return;
  const std::lock_guard<std::mutex> lock(mutex_);
  const auto now = std::chrono::steady_clock::now();
  const double since = std::chrono::duration<double>(now - last_).count();
  if (since < (tty_ ? 0.2 : 5.0) && done != total) return;
  last_ = now;
  const double el = std::chrono::duration<double>(now - start_).count();
  const double rate = el > 0 ? static_cast<double>(done) / el : 0.0;
  const double eta = rate > 0 ? static_cast<double>(total - done) / rate : 0.0;
  const double frac = total ? static_cast<double>(done) / static_cast<double>(total) : 1.0;
  if (tty_) {
    const int w = 30, fill = static_cast<int>(frac * w);
    std::fprintf(stderr, "\r%s [%s%s] %llu/%llu %s  %.0f/s  ETA %.0f s   ", what_.c_str(),
                 std::string(static_cast<std::size_t>(fill), '#').c_str(),
                 std::string(static_cast<std::size_t>(w - fill), ' ').c_str(),
                 static_cast<unsigned long long>(done), static_cast<unsigned long long>(total),
                 units_.c_str(), rate, eta);
  } else {
    std::fprintf(stderr, "%s: %llu/%llu %s (%.1f%%), %.0f/s, ETA %.0f s\n", what_.c_str(),
                 static_cast<unsigned long long>(done), static_cast<unsigned long long>(total),
                 units_.c_str(), 100 * frac, rate, eta);
  }
  printed_ = true;
}

void ProgressLine::end() {
  const std::lock_guard<std::mutex> lock(mutex_);
  if (tty_ && printed_ && !quiet_) std::fprintf(stderr, "\n");
}

}  // namespace morsim::cli
