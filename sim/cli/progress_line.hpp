// Progress of a long command on stderr: a bar with rate and ETA redrawn on a terminal, one line
// every 5 s otherwise (logs, CI), nothing when quiet. Shared by sweep, population and fit.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>

namespace morsim::cli {

class ProgressLine {
 public:
  // `what` names the command ("sweep"), `units` what is counted ("scenarios"). With
  // `total_is_bound` the total is only an upper bound (a fit's max_iterations) and the ETA is
  // shown as one ("ETA <= ...").
  ProgressLine(std::string what, std::string units, bool quiet, bool total_is_bound = false);
  // Thread-safe: workers may report directly. `detail` is appended to the line.
  void operator()(std::uint64_t done, std::uint64_t total, const std::string& detail = "");
  // Shows the last state if the 5 s throttle held it back, and ends the terminal line.
  void end();
  // Ends a terminal line left open (a run that threw) so that the error starts a line.
  ~ProgressLine();
  ProgressLine(const ProgressLine&) = delete;
  ProgressLine& operator=(const ProgressLine&) = delete;

 private:
  void print(std::chrono::steady_clock::time_point now);

  std::string what_, units_;
  bool quiet_, tty_, bound_, printed_ = false, shown_ = true, open_ = false;
  std::uint64_t done_ = 0, total_ = 0;
  std::string detail_;
  std::mutex mutex_;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now(), last_{};
};

}  // namespace morsim::cli
