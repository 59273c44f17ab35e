// The sweep file opened by every rank through parallel HDF5 (MPI-IO driver) for writing rows
// (MPI builds only). Creation, the error table and the `complete` flag stay with the serial
// SweepFile on rank 0: variable-length strings cannot be written in parallel.
#pragma once

#if MORSIM_WITH_MPI

#include <mpi.h>

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "io/h5_handle.hpp"

namespace morsim::sweep {

// Row ranges [start, start + count), sorted by start and disjoint.
using RowRanges = std::vector<std::pair<std::uint64_t, std::uint64_t>>;

class MpiSweepFile {
 public:
  // Collective over `comm`: opens the existing file `path` (p parameters, m metrics, t
  // trajectory points per scenario, as SweepFile) for parallel writing.
  MpiSweepFile(const std::string& path, std::size_t p, std::size_t m, std::size_t t, MPI_Comm comm);
  // Collective: each rank writes its rows (possibly none); the arrays hold the rows of
  // `ranges` one after another, laid out as in SweepFile::write_rows. Status goes last.
  void write_rows(const RowRanges& ranges, const double* params, const double* metrics,
                  const double* trajectories, const std::int8_t* status);
  void flush();  // collective
  void close();  // collective

 private:
  H5Id file_, dxpl_;
  std::optional<H5Id> params_, metrics_, status_, traj_;
  std::size_t p_, m_, t_;
};

}  // namespace morsim::sweep

#endif  // MORSIM_WITH_MPI
