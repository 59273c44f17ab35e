// The sweep's HDF5 file, written in place as results arrive (not write-then-rename: an
// interrupted sweep must leave a valid, resumable file). Layout in docs/sweeps.md.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "io/h5_handle.hpp"
#include "sweep/sweep_spec.hpp"

namespace morsim::sweep {

enum ScenarioStatus : std::int8_t { kPending = 0, kDone = 1, kFailed = 2 };

struct ScenarioError {
  std::uint64_t index = 0;
  std::string message;
};

class SweepFile {
 public:
  // A new file (an existing one is truncated: callers check refusal first).
  static SweepFile create(const std::string& path, const SweepSpec& sweep);
  // An existing file of the same sweep text; throws OutputError otherwise. Clears the error
  // table: every block with a failed scenario is run again and reports again.
  static SweepFile open_for_resume(const std::string& path, const SweepSpec& sweep);
  // Whether `path` holds a sweep that ran to the end.
  static bool is_complete(const std::string& path);

  std::uint64_t size() const { return n_; }
  void read_status(std::uint64_t start, std::uint64_t count, std::int8_t* out) const;
  // Rows [start, start + count): parameters (count x P), metrics (count x M), trajectories
  // (count x T x 2, when stored) and status.
  void write_rows(std::uint64_t start, std::uint64_t count, const double* params,
                  const double* metrics, const double* trajectories, const std::int8_t* status);
  void append_errors(const std::vector<ScenarioError>& errors);
  void flush();
  // Marks the file complete (or not) and closes it, reporting a failed close.
  void close(bool complete);

 private:
  SweepFile(H5Id file, std::uint64_t n, std::size_t p, std::size_t m, std::size_t t);
  void open_datasets();
  H5Id file_;
  std::optional<H5Id> params_, metrics_, status_, traj_, errors_;
  std::uint64_t n_;
  std::size_t p_, m_, t_;
  std::uint64_t n_errors_ = 0;
};

}  // namespace morsim::sweep
