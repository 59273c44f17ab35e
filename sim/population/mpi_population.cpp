// See mpi_population.hpp. Unit u (arm u / blocks, subjects [(u % blocks) block, ...)) belongs to
// the rank whose contiguous share holds it.
#include "population/mpi_population.hpp"

#if MORSIM_WITH_MPI

#include <mpi.h>

#include <algorithm>
#include <limits>
#include <stdexcept>
#include <type_traits>
#include <vector>

namespace morsim::population {

namespace {

int g_rank = 0, g_size = 1;
std::size_t g_units = 1, g_blocks = 1, g_block = 1;

int owner(std::size_t unit) { return parallel::share_owner(unit, g_units, g_size); }

}  // namespace

parallel::Share mpi_population_begin(std::size_t units, std::size_t blocks, std::size_t block) {
  g_rank = parallel::world_rank();
  g_size = parallel::world_size();
  g_units = units;
  g_blocks = std::max<std::size_t>(1, blocks);
  g_block = std::max<std::size_t>(1, block);
  return parallel::contiguous_share(units, g_rank, g_size);
}

bool mpi_population_writer() { return parallel::world_rank() == 0; }

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

#else  // one process: every unit is this rank's, and there is nothing to share

namespace morsim::population {

parallel::Share mpi_population_begin(std::size_t units, std::size_t, std::size_t) {
  return {0, units};
}
bool mpi_population_writer() { return true; }
void mpi_population_share(PopulationResult&, std::size_t, std::size_t, bool) {}
void mpi_population_merge_columns(float*, std::size_t, std::size_t, std::size_t) {}

}  // namespace morsim::population

#endif  // MORSIM_WITH_MPI
