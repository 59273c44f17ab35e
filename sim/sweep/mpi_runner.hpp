// Sweeps across MPI ranks (MPI builds only): the pending blocks are split into one contiguous
// run per rank, each rank computes its run on its own worker threads, and all ranks write
// their rows into the one file through parallel HDF5 (collective writes). The file's data
// equals what one process writes. Layout and protocol: docs/cluster.md.
#pragma once

#if MORSIM_WITH_MPI

#include <string>

#include "sweep/runner.hpp"
#include "sweep/sweep_spec.hpp"

namespace morsim::sweep {

// The number of ranks in MPI_COMM_WORLD, 1 when MPI was not initialised (a plain launch).
int mpi_world_size();
int mpi_world_rank();

// run_sweep across the ranks of MPI_COMM_WORLD: every rank calls it with the same arguments.
// Only rank 0 calls `options.progress` (with the totals of all ranks); every rank returns
// the same summary. The environment variable MORSIM_SWEEP_STOP_AFTER=K stops each rank after
// it has started K scenarios (tests of interruption).
RunSummary run_sweep_mpi(const SweepSpec& sweep, const std::string& output,
                         const RunOptions& options);

}  // namespace morsim::sweep

#endif  // MORSIM_WITH_MPI
