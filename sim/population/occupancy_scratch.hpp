// Per-subject occupancy rows parked on disk until the percentile bands are computed, so that
// memory stays bounded whatever the number of subjects: rows are written in blocks of
// subjects and read back in blocks of time points (an HDF5 file chunked both ways). Values are
// float32: the bands are exact percentiles of these stored values.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "io/h5_handle.hpp"
#include "io/partial_file.hpp"

namespace morsim::population {

class OccupancyScratch {
 public:
  // `series` = number of (arm, quantity) matrices, each subjects x times. Rows are best
  // written in blocks of `subject_chunk` subjects (whole chunks).
  OccupancyScratch(std::string path, std::size_t series, std::size_t subjects, std::size_t times,
                   std::size_t subject_chunk);
  ~OccupancyScratch();  // closes and removes the file
  OccupancyScratch(const OccupancyScratch&) = delete;
  OccupancyScratch& operator=(const OccupancyScratch&) = delete;

  // Not thread-safe: callers serialise.
  void write_rows(std::size_t series, std::size_t first_subject, std::size_t count,
                  const float* rows);
  // out: subjects x count_t, row-major.
  void read_columns(std::size_t series, std::size_t first_t, std::size_t count_t, float* out);

  static constexpr std::size_t kTimeChunk = 64;

 private:
  std::string path_;
  RemoveOnSignal on_signal_;  // SIGINT/SIGTERM remove the file too
  std::size_t subjects_, times_;
  H5Id file_;
  std::vector<H5Id> datasets_;
};

}  // namespace morsim::population
