// `morsim population` across MPI ranks (MPI builds only): the (arm, block) work units are dealt
// round-robin to the ranks; afterwards every rank gets every subject's outcome and draws
// (broadcast from the unit's owner) and every column of occupancies when the percentile bands
// are computed (a max-reduction in which each rank contributes only its own subjects), so all
// ranks end with the same result as one process; only rank 0 writes the file.
#pragma once

#if MORSIM_WITH_MPI

#include <cstddef>

#include "population/population_runner.hpp"

namespace morsim::population {

// Starts a distributed run of `blocks` blocks of `block` subjects per arm.
void mpi_population_begin(std::size_t blocks, std::size_t block);
// The k-th unit this rank runs (k * ranks + rank); identity without MPI.
std::size_t mpi_population_unit(std::size_t k);
// Collective: throws on every rank without an error of its own when another rank failed;
// then gives every rank the subjects, weights and parameters of all units.
void mpi_population_share(PopulationResult& res, std::size_t n, std::size_t np, bool failed_here);
// Collective: completes `block` (n subjects x m time points of arm `arm`, read from this rank's
// scratch file, where other ranks' subjects are unset) with every rank's subjects.
void mpi_population_merge_columns(float* block, std::size_t arm, std::size_t n, std::size_t m);
// Whether this process writes the output (rank 0, or not distributed).
bool mpi_population_writer();

}  // namespace morsim::population

#endif  // MORSIM_WITH_MPI
