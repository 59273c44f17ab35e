// Loads the Ceres module from the folder of the running program, once, on the first fit.
#include "fit/least_squares.hpp"

#include <dlfcn.h>

#include <filesystem>
#include <mutex>
#include <stdexcept>
#include <system_error>

namespace morsim::fit {

namespace {

SolveLeastSquaresFn* load_solver() {
  std::error_code ec;
  const std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  const std::filesystem::path module =
      (ec ? std::filesystem::path(".") : exe.parent_path()) / kLeastSquaresModule;
  void* handle = dlopen(module.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!handle)
    throw std::runtime_error("the fit's least-squares solver cannot be loaded: " +
                             std::string(dlerror()) + " (it is built beside the morsim program)");
  void* entry = dlsym(handle, kLeastSquaresEntry);
  if (!entry)
    throw std::runtime_error(module.string() + " has no entry point " + kLeastSquaresEntry);
  return reinterpret_cast<SolveLeastSquaresFn*>(entry);  // the handle stays open for the process
}

}  // namespace

LeastSquaresSummary solve_least_squares(const LeastSquaresProblem& problem,
                                        std::vector<double>& x) {
  static std::once_flag once;
  static SolveLeastSquaresFn* solve = nullptr;
  std::call_once(once, [] { solve = load_solver(); });
  if (problem.lower.size() != problem.n_parameters ||
      problem.upper.size() != problem.n_parameters || x.size() != problem.n_parameters)
    throw std::invalid_argument("least squares: bounds and start need one value per parameter");
  LeastSquaresSummary summary;
  solve(&problem, x.data(), &summary);
  return summary;
}

}  // namespace morsim::fit
