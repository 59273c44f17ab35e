// Speed and accuracy of morsim on the reference problem ref-v1, side by side with the CVODE
// peer (SUNDIALS BDF, dense LU, analytic Jacobian) on the same machine and core.
//
// Usage: bench_ref_v1 [--repeats N] [--configs DIR] [--method M] [--equilibrium]
// --equilibrium runs the scenarios at binding equilibrium (where exact-linear applies); the
// CVODE peer solves kinetic binding only, so errors are then measured against morsim's
// rosenbrock4 at rtol 1e-10, atol 1e-14.
// For each scenario: wall time per scenario (median and best of N, model compiled once, as a
// sweep would), steps / RHS / Jacobian evaluations, and the error against CVODE at rtol 1e-10.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "config/load_scenario.hpp"
#include "solver/arm_simulator.hpp"
#ifdef MORSIM_HAVE_CVODE_PEER
#include "cvode_ref_v1.h"
#endif

using namespace morsim;
using Clock = std::chrono::steady_clock;

namespace {

struct Timing {
  double median_ms, best_ms;
};

template <class F>
Timing time_it(int repeats, F&& f) {
  std::vector<double> ms;
  for (int r = 0; r < repeats; ++r) {
    const auto t0 = Clock::now();
    f();
    ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
  }
  std::sort(ms.begin(), ms.end());
  return {ms[ms.size() / 2], ms.front()};
}

// Column order of the peer: H, M, O, N, X.
const char* kRefCompounds[5] = {"heroin", "6-MAM", "morphine", "naltrexone", "6-beta-naltrexol"};

}  // namespace

int main(int argc, char** argv) {
  int repeats = 30;
  double rtol = 0.0, atol = 0.0, atol_occupancy = 0.0;  // 0: the configs' (morsim's defaults)
  std::string configs = std::string(MORSIM_SOURCE_DIR) + "/configs/reference";
  std::string method;  // empty: the configs' (rosenbrock4)
  bool equilibrium = false;
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--repeats") && i + 1 < argc)
      repeats = std::atoi(argv[++i]);
    else if (!std::strcmp(argv[i], "--configs") && i + 1 < argc)
      configs = argv[++i];
    else if (!std::strcmp(argv[i], "--rtol") && i + 1 < argc)
      rtol = std::atof(argv[++i]);
    else if (!std::strcmp(argv[i], "--atol") && i + 1 < argc)
      atol = std::atof(argv[++i]);
    else if (!std::strcmp(argv[i], "--atol-occupancy") && i + 1 < argc)
      atol_occupancy = std::atof(argv[++i]);
    else if (!std::strcmp(argv[i], "--method") && i + 1 < argc)
      method = argv[++i];
    else if (!std::strcmp(argv[i], "--equilibrium"))
      equilibrium = true;
    else {
      std::fprintf(stderr,
                   "usage: bench_ref_v1 [--repeats N] [--configs DIR] [--rtol R] [--atol A] "
                   "[--atol-occupancy A] [--method rosenbrock4|dopri5|exact-linear] "
                   "[--equilibrium]\n");
      return 2;
    }
  }
  std::printf("%-16s %-22s %9s %9s %7s %7s %7s %11s %11s\n", "scenario", "solver", "median_ms",
              "best_ms", "steps", "rhs", "jac", "occ_err", "conc_relerr");
  const char* names[3] = {"ref-v1-depot", "ref-v1-oral", "ref-v1-control"};
  for (int s = 0; s < 3; ++s) {
    ScenarioSpec spec = load_scenario_file(configs + "/" + names[s] + ".toml");
    if (rtol > 0.0) spec.solver.rtol = rtol;
    if (atol > 0.0) spec.solver.atol = atol;
    if (atol_occupancy > 0.0) spec.solver.atol_occupancy = atol_occupancy;
    if (method == "dopri5") spec.solver.method = SolverMethod::kDopri5;
    if (method == "exact-linear") spec.solver.method = SolverMethod::kExactLinear;
    if (equilibrium) spec.receptor.mode = BindingMode::kEquilibrium;
    ArmSimulator sim(spec);
    const std::vector<double> samples = spec.grid.times_h();
    Trajectory tr;
    const Timing tm = time_it(repeats, [&] { tr = sim.simulate(spec.arms.front(), samples); });
    double occ_err = NAN, conc_err = NAN;
    const std::string label = "morsim " + (method.empty() ? std::string("rosenbrock4") : method) +
                              (equilibrium ? " eq" : "");
    if (equilibrium) {  // no peer at equilibrium: tight rosenbrock4 is the reference
      ScenarioSpec ref = spec;
      ref.solver = SolverOptions{};
      ref.solver.rtol = 1e-10;
      ref.solver.atol = 1e-14;
      ArmSimulator rs(ref);
      const Trajectory rt = rs.simulate(ref.arms.front(), samples);
      occ_err = conc_err = 0.0;
      for (std::size_t i = 0; i < rt.n_times(); ++i)
        for (std::size_t k = 0; k < rt.n_compounds(); ++k) {
          occ_err = std::max(occ_err, std::abs(tr.occ(i, k) - rt.occ(i, k)));
          if (rt.plasma(i, k) > 1e-6)
            conc_err = std::max(conc_err, std::abs(tr.plasma(i, k) / rt.plasma(i, k) - 1.0));
        }
      std::printf("%-16s %-22s %9.3f %9.3f %7ld %7ld %7ld %11.2e %11.2e\n", names[s], label.c_str(),
                  tm.median_ms, tm.best_ms, tr.stats.steps, tr.stats.rhs_evaluations,
                  tr.stats.jacobian_evaluations, occ_err, conc_err);
      continue;
    }
#ifdef MORSIM_HAVE_CVODE_PEER
    const auto sc = static_cast<ref_v1_scenario>(s);
    const int n = ref_v1_n_out(sc);
    std::vector<double> t(n), conc(5 * n), occ(5 * n);
    ref_v1_stats st{};
    ref_v1_cvode_solve(sc, 1e-10, 1e-14, t.data(), conc.data(), occ.data(), &st);
    occ_err = conc_err = 0.0;
    for (int k = 0; k < 5; ++k) {
      const std::size_t kk = tr.compound_index(kRefCompounds[k]);
      for (int i = 0; i < n; ++i) {
        occ_err = std::max(occ_err, std::abs(tr.occ(i, kk) - occ[i * 5 + k]));
        if (conc[i * 5 + k] > 1e-6)
          conc_err = std::max(conc_err, std::abs(tr.plasma(i, kk) / conc[i * 5 + k] - 1.0));
      }
    }
#endif
    std::printf("%-16s %-22s %9.3f %9.3f %7ld %7ld %7ld %11.2e %11.2e\n", names[s], label.c_str(),
                tm.median_ms, tm.best_ms, tr.stats.steps, tr.stats.rhs_evaluations,
                tr.stats.jacobian_evaluations, occ_err, conc_err);
#ifdef MORSIM_HAVE_CVODE_PEER
    std::vector<double> t2(n), conc2(5 * n), occ2(5 * n);
    ref_v1_stats st2{};
    const Timing tc = time_it(repeats, [&] {
      ref_v1_cvode_solve(sc, 1e-6, 1e-9, t2.data(), conc2.data(), occ2.data(), &st2);
    });
    double occ_err2 = 0.0, conc_err2 = 0.0;
    for (int i = 0; i < 5 * n; ++i) {
      occ_err2 = std::max(occ_err2, std::abs(occ2[i] - occ[i]));
      if (conc[i] > 1e-6) conc_err2 = std::max(conc_err2, std::abs(conc2[i] / conc[i] - 1.0));
    }
    std::printf("%-16s %-22s %9.3f %9.3f %7ld %7ld %7ld %11.2e %11.2e\n", names[s],
                "CVODE BDF rtol 1e-6", tc.median_ms, tc.best_ms, st2.steps, st2.rhs_evals,
                st2.jac_evals, occ_err2, conc_err2);
#endif
  }
  return 0;
}
