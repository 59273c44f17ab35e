// See mpi_population.hpp. Unit u (arm u / blocks, subjects [(u % blocks) block, ...)) belongs to
// rank u % ranks.
#if MORSIM_WITH_MPI

#include "population/mpi_population.hpp"

#include <mpi.h>

#include <algorithm>
#include <limits>
#include <stdexcept>
#include <type_traits>
#include <vector>

namespace morsim::population {

namespace {

int g_rank = 0, g_size = 1;
std::size_t g_blocks = 1, g_block = 1;

void world(int* rank, int* size) {
  int init = 0, fin = 0;
  MPI_Initialized(&init);
  MPI_Finalized(&fin);
  *rank = 0;
  *size = 1;
  if (init && !fin) {
    MPI_Comm_rank(MPI_COMM_WORLD, rank);
    MPI_Comm_size(MPI_COMM_WORLD, size);
  }
}

int owner(std::size_t unit) { return static_cast<int>(unit % static_cast<std::size_t>(g_size)); }

}  // namespace

void mpi_population_begin(std::size_t blocks, std::size_t block) {
  world(&g_rank, &g_size);
  g_blocks = std::max<std::size_t>(1, blocks);
  g_block = std::max<std::size_t>(1, block);
}

std::size_t mpi_population_unit(std::size_t k) {
  return k * static_cast<std::size_t>(g_size) + static_cast<std::size_t>(g_rank);
}

bool mpi_population_writer() {
  int rank = 0, size = 1;
  world(&rank, &size);
  return rank == 0;
}

void mpi_population_share(PopulationResult& res, std::size_t n, std::size_t np, bool failed_here) {
  if (g_size <= 1) return;
  int mine = failed_here ? 1 : 0, any = 0;
  MPI_Allreduce(&mine, &any, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
  if (any && !failed_here) throw std::runtime_error("population: another MPI rank failed");
  if (any) return;  // the caller rethrows this rank's error
  static_assert(std::is_trivially_copyable_v<SubjectOutcome>);
  for (std::size_t a = 0; a < res.arms.size(); ++a) {
    for (std::size_t b = 0; b < g_blocks; ++b) {
      const std::size_t first = b * g_block;
      if (first >= n) break;
      const std::size_t count = std::min(g_block, n - first);
      const int root = owner(a * g_blocks + b);
      MPI_Bcast(&res.arms[a].subjects[first], static_cast<int>(count * sizeof(SubjectOutcome)),
                MPI_BYTE, root, MPI_COMM_WORLD);
      if (a == 0) {  // the draws, shared by the arms, come from the first arm's units
        MPI_Bcast(&res.weight_kg[first], static_cast<int>(count), MPI_DOUBLE, root, MPI_COMM_WORLD);
        if (np > 0)
          MPI_Bcast(&res.parameters[first * np], static_cast<int>(count * np), MPI_DOUBLE, root,
                    MPI_COMM_WORLD);
      }
    }
  }
}

void mpi_population_merge_columns(float* block, std::size_t arm, std::size_t n, std::size_t m) {
  if (g_size <= 1) return;
  // Occupancies are finite; other ranks' rows become -inf, so the maximum is the owner's value.
  const float lowest = -std::numeric_limits<float>::infinity();
  for (std::size_t s = 0; s < n; ++s)
    if (owner(arm * g_blocks + s / g_block) != g_rank) std::fill_n(block + s * m, m, lowest);
  MPI_Allreduce(MPI_IN_PLACE, block, static_cast<int>(n * m), MPI_FLOAT, MPI_MAX, MPI_COMM_WORLD);
}

}  // namespace morsim::population

#endif  // MORSIM_WITH_MPI
