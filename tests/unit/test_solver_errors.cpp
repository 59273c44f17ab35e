// A failed integration is an error that names the time and the state, never silent garbage.
#include <catch2/catch.hpp>
#include <limits>

#include "model/errors.hpp"
#include "solver/simulate.hpp"
#include "support/ref_v1.hpp"

using namespace morsim;
using namespace morsim::testing;

TEST_CASE("step limit exceeded: SolverError with time and named states", "[solver][errors]") {
  for (SolverMethod method : {SolverMethod::kRosenbrock4, SolverMethod::kDopri5}) {
    ScenarioSpec spec = ref_v1(RefScenario::kControl);
    spec.solver.method = method;
    spec.solver.max_steps = 20;
    try {
      simulate(spec);
      FAIL("expected a SolverError");
    } catch (const SolverError& e) {
      const std::string msg = e.what();
      CHECK_THAT(msg, Catch::Contains("integration failed at t = "));
      CHECK_THAT(msg, Catch::Contains("max_steps"));
      CHECK_THAT(msg, Catch::Contains("heroin.central = "));
      CHECK_THAT(msg, Catch::Contains("naltrexone.occupancy = "));
    }
  }
}

TEST_CASE("a non-finite right-hand side stops the run with a SolverError", "[solver][errors]") {
  ScenarioSpec spec = ref_v1(RefScenario::kControl);
  spec.compounds[1].binding.kon_per_nM_n_per_h = std::numeric_limits<double>::quiet_NaN();
  CHECK_THROWS_AS(simulate(spec), SolverError);
}

TEST_CASE("a progress callback can interrupt a run", "[solver][errors]") {
  const ScenarioSpec spec = ref_v1(RefScenario::kDepot);
  int calls = 0;
  CHECK_THROWS_AS(simulate(spec, [&](double, double) { return ++calls < 3; }), SolverError);
  CHECK(calls == 3);
}
