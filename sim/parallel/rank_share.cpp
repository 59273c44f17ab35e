// See rank_share.hpp.
#include "parallel/rank_share.hpp"

#if MORSIM_WITH_MPI
#include <mpi.h>
#endif

namespace morsim::parallel {

#if MORSIM_WITH_MPI
namespace {
bool mpi_running() {
  int init = 0, fin = 0;
  MPI_Initialized(&init);
  MPI_Finalized(&fin);
  return init && !fin;
}
}  // namespace
#endif

int world_rank() {
  int rank = 0;
#if MORSIM_WITH_MPI
  if (mpi_running()) MPI_Comm_rank(MPI_COMM_WORLD, &rank);
#endif
  return rank;
}

int world_size() {
  int size = 1;
#if MORSIM_WITH_MPI
  if (mpi_running()) MPI_Comm_size(MPI_COMM_WORLD, &size);
#endif
  return size;
}

Share contiguous_share(std::size_t n, int rank, int ranks) {
  const std::size_t r = static_cast<std::size_t>(rank), s = static_cast<std::size_t>(ranks);
  return {n * r / s, n * (r + 1) / s};
}

int share_owner(std::size_t unit, std::size_t n, int ranks) {
  // The largest rank whose share begins at or before `unit`.
  int lo = 0, hi = ranks - 1;
  while (lo < hi) {
    const int mid = (lo + hi + 1) / 2;
    if (contiguous_share(n, mid, ranks).begin <= unit)
      lo = mid;
    else
      hi = mid - 1;
  }
  return lo;
}

}  // namespace morsim::parallel
