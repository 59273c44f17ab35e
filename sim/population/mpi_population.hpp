// `morsim population` across MPI ranks: each rank runs its contiguous share of the (arm, block)
// work units (parallel/rank_share.hpp, the sweep's split); afterwards every rank gets every
// subject's outcome and draws (broadcast from the unit's owner) and every column of occupancies
// when the percentile bands are computed (a max-reduction in which each rank contributes only its
// own subjects), so all ranks end with the same result as one process; only rank 0 writes the file.
// Without MPI (or in a plain launch) there is one rank and every call returns at once, so the
// runner calls them unconditionally.
#pragma once

#include <cstddef>

#include "parallel/rank_share.hpp"
#include "population/population_runner.hpp"

namespace morsim::population {

// Starts a distributed run of `units` units, `blocks` blocks of `block` subjects per arm;
// returns this rank's share of the units.
parallel::Share mpi_population_begin(std::size_t units, std::size_t blocks, std::size_t block);
// Collective: throws on every rank without an error of its own when another rank failed;
// then gives every rank the subjects, weights and parameters of all units.
void mpi_population_share(PopulationResult& res, std::size_t n, std::size_t np, bool failed_here);
// Collective: completes `block` (n subjects x m time points of arm `arm`, read from this rank's
// scratch file, where other ranks' subjects are unset) with every rank's subjects.
void mpi_population_merge_columns(float* block, std::size_t arm, std::size_t n, std::size_t m);
// Whether this process writes the output (rank 0, or not distributed).
bool mpi_population_writer();

}  // namespace morsim::population
