// See mpi_init.hpp.
#if MORSIM_WITH_MPI

#include "cli/mpi_init.hpp"

#include <mpi.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace morsim::cli {

namespace {

bool launched_by_mpi() {
  const char* force = std::getenv("MORSIM_MPI_INIT");
  if (force && *force) return std::strcmp(force, "0") != 0;
  for (const char* v : {"OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_RANK", "PMI_SIZE",
                        "MPI_LOCALNRANKS", "HYDRA_CONTROL_FD"})
    if (std::getenv(v)) return true;
  return false;
}

}  // namespace

MpiSession::MpiSession(int* argc, char*** argv) {
  if (!launched_by_mpi()) return;
  int provided = 0;
  if (MPI_Init_thread(argc, argv, MPI_THREAD_FUNNELED, &provided) != MPI_SUCCESS) {
    std::fprintf(stderr, "morsim: MPI_Init_thread failed\n");
    std::exit(1);
  }
  initialised_ = true;
  if (provided < MPI_THREAD_FUNNELED) {
    std::fprintf(stderr, "morsim: the MPI library does not support MPI_THREAD_FUNNELED\n");
    MPI_Abort(MPI_COMM_WORLD, 1);
  }
}

bool MpiSession::allows(int argc, char** argv) const {
  if (!initialised_) return true;
  int size = 1, rank = 0;
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  if (size <= 1) return true;
  const char* sub = nullptr;  // the first argument that is not an option
  for (int i = 1; i < argc && !sub; ++i)
    if (argv[i][0] != '-') sub = argv[i];
  if (!sub || std::strcmp(sub, "sweep") == 0 || std::strcmp(sub, "population") == 0) return true;
  if (rank == 0)
    std::fprintf(stderr,
                 "morsim %s: only `sweep` and `population` run across MPI ranks; run `%s` without "
                 "mpirun "
                 "(or with -np 1)\n",
                 sub, sub);
  return false;
}

MpiSession::~MpiSession() {
  int finalized = 0;
  MPI_Finalized(&finalized);
  if (initialised_ && !finalized) MPI_Finalize();
}

}  // namespace morsim::cli

#endif  // MORSIM_WITH_MPI
