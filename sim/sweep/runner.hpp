// Runs a sweep on a pool of worker threads and streams the results into its HDF5 file.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>

#include "sweep/sweep_spec.hpp"

namespace morsim::sweep {

struct RunOptions {
  unsigned threads = 0;     // 0 = every core
  bool resume = false;      // continue an existing file of the same sweep
  std::uint64_t block = 0;  // scenarios per work unit (and per write); 0 = automatic
  // Set (e.g. by a signal handler) to stop taking new blocks; what is done is written.
  const std::atomic<bool>* stop = nullptr;
  // Stop taking new blocks once this many scenarios were started (tests of interruption).
  std::uint64_t limit = UINT64_MAX;
  // Called from the writing thread with (scenarios finished, scenarios to run this time).
  std::function<void(std::uint64_t, std::uint64_t)> progress;
};

struct RunSummary {
  std::uint64_t total = 0;   // scenarios in the sweep
  std::uint64_t to_run = 0;  // pending or failed at the start
  std::uint64_t done = 0;    // finished in this run (including failed)
  std::uint64_t failed = 0;  // failed in this run
  bool interrupted = false;  // stopped before the end
  double seconds = 0.0;
};

// Throws OutputError when the file cannot be written or (resume) does not match the sweep.
RunSummary run_sweep(const SweepSpec& sweep, const std::string& output, const RunOptions& options);

}  // namespace morsim::sweep
