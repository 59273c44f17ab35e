// Per-subject results parked on disk: occupancy rows until the percentile bands are computed,
// so that memory stays bounded whatever the number of subjects (rows are written in blocks of
// subjects and read back in blocks of time points: an HDF5 file chunked both ways), and, per
// finished work unit, the subjects' outcomes and draws with a done mask, so that the file can
// be a checkpoint from which a killed run is resumed. Occupancies are float32: the bands are
// exact percentiles of these stored values.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "io/h5_handle.hpp"
#include "io/partial_file.hpp"
#include "population/checkpoint_identity.hpp"
#include "population/virtual_subject.hpp"

namespace morsim::population {

// The shape of a run's stored data, fixed when the file is created. A work unit is one arm's
// block of `block` subjects (the last block may be shorter); unit = arm * blocks() + block.
struct ScratchLayout {
  std::size_t arms = 0, subjects = 0, times = 0, parameters = 0, block = 1;

  std::size_t blocks() const { return (subjects + block - 1) / block; }
  std::size_t units() const { return arms * blocks(); }
  std::size_t unit_arm(std::size_t unit) const { return unit / blocks(); }
  std::size_t unit_first(std::size_t unit) const { return (unit % blocks()) * block; }
  std::size_t unit_count(std::size_t unit) const;
};

// What one finished unit hands to the file. Rows are count x times, row-major.
struct UnitResult {
  std::size_t unit = 0;
  const float* antagonist = nullptr;
  const float* agonist = nullptr;
  const SubjectOutcome* outcomes = nullptr;  // count
  // count x (1 + parameters): weight, then the draws; only the first arm's units carry them
  // (the same subject has the same draws in every arm). nullptr = none.
  const double* draws = nullptr;
};

class OccupancyScratch {
 public:
  // A temporary file: removed by the destructor and on SIGINT/SIGTERM.
  static std::unique_ptr<OccupancyScratch> temporary(const std::string& path,
                                                     const ScratchLayout& layout);
  // A checkpoint: built as a PartialFile (`<path>.<pid>.partial`) and renamed onto `path` once
  // its structure is on disk, so that `path` is a valid file from the moment it exists. Kept by
  // the destructor and by signals; the caller removes it once the result is committed.
  static std::unique_ptr<OccupancyScratch> create_checkpoint(const std::string& path,
                                                             const ScratchLayout& layout,
                                                             const RunIdentity& identity);
  // Reopens a checkpoint, to continue it (writable) or to look at it. Throws OutputError when
  // it is not one.
  static std::unique_ptr<OccupancyScratch> open_checkpoint(const std::string& path,
                                                           bool writable = true);

  ~OccupancyScratch();
  OccupancyScratch(const OccupancyScratch&) = delete;
  OccupancyScratch& operator=(const OccupancyScratch&) = delete;

  const ScratchLayout& layout() const { return layout_; }
  const RunIdentity& identity() const { return identity_; }
  const std::vector<unsigned char>& done() const { return done_; }  // per unit, 1 = stored

  // Not thread-safe: callers serialise. For a checkpoint, the unit's data are flushed to the
  // file before its done flag is set (and flushed), so a kill at any instant leaves every
  // unit marked done complete on disk.
  void write_unit(const UnitResult& unit);
  // A stored unit's outcomes (count) and, for the first arm, draws (count x (1 + parameters)).
  void read_outcomes(std::size_t unit, SubjectOutcome* out);
  void read_draws(std::size_t unit, double* out);
  // out: subjects x count_t, row-major. series = 2 * arm (antagonist) or 2 * arm + 1 (agonist).
  void read_columns(std::size_t series, std::size_t first_t, std::size_t count_t, float* out);

  static constexpr std::size_t kTimeChunk = 64;

 private:
  OccupancyScratch(std::string path, bool keep);
  void create_file();
  void open_file(unsigned flags);
  void write_header();
  void read_header();
  void flush();
  hid_t table(std::size_t k) const { return tables_[k].get(); }

  std::string path_;
  bool keep_;                                // a checkpoint: never removed here
  std::optional<RemoveOnSignal> on_signal_;  // temporaries: SIGINT/SIGTERM remove them too
  ScratchLayout layout_;
  RunIdentity identity_;
  std::vector<unsigned char> done_;
  std::optional<H5Id> file_;
  std::vector<H5Id> series_;  // 2 per arm: subjects x times, float32
  std::vector<H5Id> tables_;  // outcomes (arms x subjects x 5), draws, done (units, uint8)
};

// `<output>.checkpoint`: no pid in the name, so remove_stale_temporaries() leaves it for
// --resume.
std::string checkpoint_path(const std::string& output);

// What a checkpoint holds, for the command to decide before any work.
struct CheckpointStatus {
  std::size_t units = 0, done = 0;
  std::string mismatch;  // identity_mismatch() against this run; "" = resumable
};
CheckpointStatus inspect_checkpoint(const std::string& path, const RunIdentity& now);

}  // namespace morsim::population
