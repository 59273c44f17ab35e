// The exact-linear method: matrix-exponential propagation of a linear model against closed
// forms (Bateman, the defective ka = ke case, an infusion) and against the full numerical
// solve of a shipped scenario; a model with kinetic binding falls back to the full solve.
#include <catch2/catch.hpp>
#include <cmath>
#include <fstream>
#include <sstream>
#include <string>

#include "config/load_scenario.hpp"
#include "solver/arm_simulator.hpp"
#include "solver/sample_grid.hpp"
#include "solver/simulate.hpp"
#include "support/ref_v1.hpp"  // dose()
#include "support/simple_models.hpp"

using namespace morsim;
using namespace morsim::testing;

namespace {

Trajectory run_exact(ScenarioSpec s) {
  s.solver.method = SolverMethod::kExactLinear;
  return simulate(s).front();
}

}  // namespace

TEST_CASE("exact-linear: oral one-compartment is the Bateman function to rounding",
          "[solver][exact-linear][closed-form]") {
  const double v = 80, k = 0.2, ka = 1.5, f = 0.6, d = 50, ii = 12;
  auto s = one_arm({simple_compound("drug", v, k)}, {simple_formulation("po", "drug", {ka}, f)},
                   {dose("po", d, 0, 3, ii)}, 72, 0.1);
  const Trajectory tr = run_exact(s);
  REQUIRE(tr.n_times() == 721);
  CHECK(tr.stats.rhs_evaluations == 0);  // no numerical integration at all
  for (std::size_t i = 0; i < tr.n_times(); ++i) {
    double c = 0.0;
    for (int j = 0; j <= 3; ++j) {
      const double t = tr.t_h[i] - j * ii;
      if (t > 0) c += f * d * ka / (v * (ka - k)) * (std::exp(-k * t) - std::exp(-ka * t));
    }
    CHECK(tr.plasma(i, 0) == Approx(c).epsilon(1e-12).margin(1e-13));
  }
}

TEST_CASE("exact-linear: ka = ke (a defective matrix) gives F D k t exp(-k t) / V",
          "[solver][exact-linear][closed-form]") {
  const double v = 40, k = 0.5, f = 0.8, d = 20;
  auto s = one_arm({simple_compound("drug", v, k)}, {simple_formulation("po", "drug", {k}, f)},
                   {dose("po", d, 0)}, 48, 0.25);
  const Trajectory tr = run_exact(s);
  for (std::size_t i = 0; i < tr.n_times(); ++i) {
    const double t = tr.t_h[i];
    CHECK(tr.plasma(i, 0) ==
          Approx(f * d * k * t * std::exp(-k * t) / v).epsilon(1e-12).margin(1e-13));
  }
}

TEST_CASE("exact-linear: a zero-order infusion rises as R / (k V) (1 - exp(-k t))",
          "[solver][exact-linear][closed-form]") {
  const double v = 30, k = 0.4, d = 60, dur = 5;
  auto s =
      one_arm({simple_compound("drug", v, k)},
              {simple_formulation("inf", "drug", {}, 1.0, 0.0, dur)}, {dose("inf", d, 1)}, 24, 0.1);
  const Trajectory tr = run_exact(s);
  const double r = d / dur;
  for (std::size_t i = 0; i < tr.n_times(); ++i) {
    const double t = tr.t_h[i] - 1.0;
    double c = 0.0;
    if (t > 0) c = r / (k * v) * (1 - std::exp(-k * std::min(t, dur)));
    if (t > dur) c *= std::exp(-k * (t - dur));
    CHECK(tr.plasma(i, 0) == Approx(c).epsilon(1e-11).margin(1e-13));
  }
}

TEST_CASE("exact-linear: ref-v1-depot at binding equilibrium matches the full numerical solve",
          "[solver][exact-linear]") {
  ScenarioSpec s =
      load_scenario_file(std::string(MORSIM_SOURCE_DIR) + "/configs/reference/ref-v1-depot.toml");
  s.receptor.mode = BindingMode::kEquilibrium;
  s.solver.rtol = 1e-10;
  s.solver.atol = 1e-14;
  const Trajectory full = simulate(s).front();
  const Trajectory exact = run_exact(s);
  REQUIRE(exact.n_times() == full.n_times());
  CHECK(exact.stats.rhs_evaluations == 0);
  CHECK(exact.stats.method == "exact-linear");
  CHECK(full.stats.method == "rosenbrock4");
  double occ = 0.0, conc = 0.0;
  for (std::size_t i = 0; i < full.n_times(); ++i)
    for (std::size_t k = 0; k < full.n_compounds(); ++k) {
      occ = std::max(occ, std::abs(exact.occ(i, k) - full.occ(i, k)));
      if (full.plasma(i, k) > 1e-6)
        conc = std::max(conc, std::abs(exact.plasma(i, k) / full.plasma(i, k) - 1.0));
    }
  CHECK(occ < 1e-6);
  CHECK(conc < 1e-6);
}

TEST_CASE("exact-linear: kinetic binding (nonlinear) falls back to the full solve",
          "[solver][exact-linear]") {
  auto s = one_arm({binding_compound("drug", 50, 0.3, 2.0, 10.0, 5.0, 0.0)},
                   {simple_formulation("iv", "drug")}, {dose("iv", 10, 0)}, 24, 0.5, 1e-8, 1e-12);
  s.receptor.mode = BindingMode::kKinetic;
  const Trajectory full = simulate(s).front();
  const Trajectory exact = run_exact(s);
  CHECK(exact.stats.rhs_evaluations > 0);      // integrated, by rosenbrock4
  CHECK(exact.stats.method == "rosenbrock4");  // and recorded so (the file's solver attribute)
  CHECK(exact.stats.steps == full.stats.steps);
  for (std::size_t i = 0; i < full.n_times(); ++i) CHECK(exact.occ(i, 0) == full.occ(i, 0));
}

TEST_CASE("exact-linear: [solver] method = \"exact-linear\" is read from a config",
          "[solver][exact-linear][config]") {
  std::ifstream in(std::string(MORSIM_SOURCE_DIR) + "/configs/reference/ref-v1-control.toml");
  std::stringstream text;
  text << in.rdbuf() << "\n[solver]\nmethod = \"exact-linear\"\n";
  ScenarioSpec s = load_scenario_text(text.str(), "exact.toml", EmbeddedLibrary());
  CHECK(s.solver.method == SolverMethod::kExactLinear);
  s.receptor.mode = BindingMode::kEquilibrium;
  const Trajectory tr = simulate(s).front();
  CHECK(tr.stats.rhs_evaluations == 0);
  CHECK(tr.stats.steps > 0);
}
