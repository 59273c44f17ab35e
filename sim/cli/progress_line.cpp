#include "cli/progress_line.hpp"

#include <unistd.h>

#include <cstdio>

namespace morsim::cli {

namespace {

// "250", "3.5", "0.12": whole numbers from 10 on, two digits below.
std::string rate_text(double rate) {
  char buf[32];
  std::snprintf(buf, sizeof buf, rate >= 10 ? "%.0f" : "%.2g", rate);
  return buf;
}

}  // namespace

ProgressLine::ProgressLine(std::string what, std::string units, bool quiet, bool total_is_bound)
    : what_(std::move(what)),
      units_(std::move(units)),
      quiet_(quiet),
      tty_(isatty(STDERR_FILENO) != 0),
      bound_(total_is_bound) {}

void ProgressLine::operator()(std::uint64_t done, std::uint64_t total, const std::string& detail) {
  if (quiet_) return;
  const std::lock_guard<std::mutex> lock(mutex_);
  done_ = done, total_ = total, detail_ = detail, shown_ = false;
  const auto now = std::chrono::steady_clock::now();
  const double since = std::chrono::duration<double>(now - last_).count();
  if (since < (tty_ ? 0.2 : 5.0) && done != total) return;
  print(now);
}

void ProgressLine::print(std::chrono::steady_clock::time_point now) {
  last_ = now;
  const double el = std::chrono::duration<double>(now - start_).count();
  const double rate = el > 0 ? static_cast<double>(done_) / el : 0.0;
  const double eta = rate > 0 && total_ > done_ ? static_cast<double>(total_ - done_) / rate : 0.0;
  const double frac = total_ ? static_cast<double>(done_) / static_cast<double>(total_) : 1.0;
  // Nothing done yet: no rate, so no estimate ("ETA ?").
  char eta_text[48];
  if (done_ == 0 && total_ > 0)
    std::snprintf(eta_text, sizeof eta_text, "?");
  else
    std::snprintf(eta_text, sizeof eta_text, "%s%.0f s", bound_ ? "<= " : "", eta);
  const std::string detail = detail_.empty() ? "" : "  " + detail_;
  if (tty_) {
    const int w = 30, fill = static_cast<int>(frac * w);
    std::fprintf(stderr, "\r%s [%s%s] %llu/%llu %s  %s/s  ETA %s%s   ", what_.c_str(),
                 std::string(static_cast<std::size_t>(fill), '#').c_str(),
                 std::string(static_cast<std::size_t>(w - fill), ' ').c_str(),
                 static_cast<unsigned long long>(done_), static_cast<unsigned long long>(total_),
                 units_.c_str(), rate_text(rate).c_str(), eta_text, detail.c_str());
  } else {
    std::fprintf(stderr, "%s: %llu/%llu %s (%.1f%%), %s/s, ETA %s%s\n", what_.c_str(),
                 static_cast<unsigned long long>(done_), static_cast<unsigned long long>(total_),
                 units_.c_str(), 100 * frac, rate_text(rate).c_str(), eta_text, detail.c_str());
  }
  printed_ = true;
  shown_ = true;
  open_ = tty_;
}

void ProgressLine::end() {
  const std::lock_guard<std::mutex> lock(mutex_);
  if (quiet_) return;
  if (!shown_) print(std::chrono::steady_clock::now());
  if (open_) std::fprintf(stderr, "\n");
  open_ = false;
}

ProgressLine::~ProgressLine() {
  if (open_) std::fprintf(stderr, "\n");
}

}  // namespace morsim::cli
