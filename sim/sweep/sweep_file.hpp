// The sweep's HDF5 file, written in place as results arrive (not write-then-rename: an
// interrupted sweep must leave a valid, resumable file). Layout in docs/sweeps.md.
//
// Crash safety (SIGKILL, not only Ctrl-C): every object and every chunk is created and
// allocated by create(), which flushes before returning; afterwards only raw bytes of
// already-allocated, unfiltered chunks change until close(). HDF5 metadata on disk is therefore
// never half-updated, whenever the process dies. Callers make a row's values durable (flush)
// before writing its status, so a row marked done always has its values.
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
  // A new file (an existing one is replaced: callers check refusal first), on disk before it
  // is returned; never left half-created under `path` (e.g. on a full disk).
  static SweepFile create(const std::string& path, const SweepSpec& sweep);
  // An existing file of the same sweep text; throws OutputError otherwise. Clears the error
  // table: every block with a failed scenario is run again and reports again.
  static SweepFile open_for_resume(const std::string& path, const SweepSpec& sweep);
  // Whether `path` holds a sweep that ran to the end.
  static bool is_complete(const std::string& path);
  // Throws OutputError unless `path` was written by this sweep (same text and size): the
  // check of open_for_resume, without changing the file.
  static void check_same_sweep(const std::string& path, const SweepSpec& sweep);

  std::uint64_t size() const { return n_; }
  void read_status(std::uint64_t start, std::uint64_t count, std::int8_t* out) const;
  // Rows [start, start + count): parameters (count x P), metrics (count x M), trajectories
  // (count x T x 2, when stored) and status.
  void write_rows(std::uint64_t start, std::uint64_t count, const double* params,
                  const double* metrics, const double* trajectories, const std::int8_t* status);
  // write_rows in two steps, so that a flush can separate the values from their status.
  void write_values(std::uint64_t start, std::uint64_t count, const double* params,
                    const double* metrics, const double* trajectories);
  void write_status(std::uint64_t start, std::uint64_t count, const std::int8_t* status);
  // Kept in memory and written by close(): extending /sweep/errors changes metadata, which a
  // kill could leave half-written. Nothing is lost by a kill: failed rows are pending for
  // --resume, which runs them again and reports them again.
  void append_errors(const std::vector<ScenarioError>& errors);
  void flush();
  // Writes the errors and closes the file, reporting a failed write or close. With `complete`,
  // first checks (after a flush, from the file) that no scenario is pending and that every
  // failed one has its error, and only then sets `complete = 1`; throws OutputError otherwise.
  void close(bool complete);

 private:
  SweepFile(H5Id file, std::string path, std::uint64_t n, std::size_t p, std::size_t m,
            std::size_t t);
  static SweepFile create_layout(const std::string& path, const SweepSpec& sweep);
  void open_datasets();
  void write_errors();
  void verify_finished() const;
  H5Id file_;
  std::string path_;
  std::optional<H5Id> params_, metrics_, status_, traj_, errors_;
  std::uint64_t n_;
  std::size_t p_, m_, t_;
  std::uint64_t n_errors_ = 0;
  std::vector<ScenarioError> unwritten_errors_;
};

}  // namespace morsim::sweep
