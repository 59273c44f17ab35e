// Which units an MPI rank computes: one contiguous share of them per rank (contiguous units
// write neighbouring rows of the output), the same split for sweeps and populations. Without
// MPI, or in a plain launch, there is one rank and it has every unit.
#pragma once

#include <cstddef>

namespace morsim::parallel {

// MPI_COMM_WORLD's rank and size while MPI is initialised; 0 and 1 otherwise (and always in a
// build without MPI).
int world_rank();
int world_size();

struct Share {
  std::size_t begin = 0, end = 0;  // [begin, end)
};
// Rank `rank`'s share of `n` units among `ranks`: sizes differ by at most one.
Share contiguous_share(std::size_t n, int rank, int ranks);
// The rank whose contiguous share holds `unit`.
int share_owner(std::size_t unit, std::size_t n, int ranks);

}  // namespace morsim::parallel
