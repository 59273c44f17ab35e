// MPI start-up and shutdown for the morsim program (MPI builds only).
#pragma once

#if MORSIM_WITH_MPI

namespace morsim::cli {

// Initialises MPI (thread level FUNNELED: only the main thread calls MPI) when the process
// was started by an MPI launcher (mpirun / mpiexec / srun with PMI or PMIx), or when
// MORSIM_MPI_INIT=1; a plain launch runs exactly like the serial build. Finalises on
// destruction.
class MpiSession {
 public:
  MpiSession(int* argc, char*** argv);
  ~MpiSession();
  MpiSession(const MpiSession&) = delete;
  MpiSession& operator=(const MpiSession&) = delete;

  // Under more than one rank only `sweep` and `population` are distributed; any other would run
  // once per rank and the ranks would race on its output file. Returns false (rank 0 prints why)
  // when argv names another subcommand under N > 1 ranks.
  bool allows(int argc, char** argv) const;

 private:
  bool initialised_ = false;
};

}  // namespace morsim::cli

#endif  // MORSIM_WITH_MPI
