// Progress of a long command on stderr: a bar with rate and ETA redrawn on a terminal, one line
// every 5 s otherwise (logs, CI), nothing when quiet. Shared by sweep and population.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>

namespace morsim::cli {

class ProgressLine {
 public:
  // `what` names the command ("sweep"), `units` what is counted ("scenarios").
  ProgressLine(std::string what, std::string units, bool quiet);
  // Thread-safe: workers may report directly.
  void operator()(std::uint64_t done, std::uint64_t total);
  void end();  // ends the terminal line

 private:
  std::string what_, units_;
  bool quiet_, tty_, printed_ = false;
  std::mutex mutex_;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now(), last_{};
};

}  // namespace morsim::cli
