// The one parameter vocabulary resolved into setters, as sweeps and populations use it.
#include <catch2/catch.hpp>
#include <cmath>

#include "config/settable_params.hpp"
#include "support/simple_models.hpp"
#include "sweep/parameter_path.hpp"

using namespace morsim;
using namespace morsim::testing;
using morsim::sweep::ChallengeDose;
using morsim::sweep::ParameterPath;

namespace {
ScenarioSpec two_step_depot() {
  // A release phase through two compartments with different rates (2 /h, then 0.5 /h).
  return one_arm({simple_compound("drug", 10.0, 1.0)},
                 {simple_formulation("depot", "drug", {2.0, 0.5})}, {}, 1.0, 0.1);
}
}  // namespace

TEST_CASE("<phase>.transit[i] sets one rate of the chain, as --set does", "[params]") {
  ScenarioSpec spec = two_step_depot();
  const SettablePath second(spec, "depot.input.transit[1]");
  CHECK(second.get(spec) == 0.5);
  second.set(spec, 4.0);
  CHECK(spec.formulations[0].phases[0].transit_rates_per_h == std::vector<double>{2.0, 4.0});
  CHECK(second.get(spec) == 4.0);
  CHECK_THROWS_WITH(SettablePath(spec, "depot.input.transit[2]"),
                    Catch::Contains("transit[0] to transit[1]"));
  CHECK_THROWS_WITH(SettablePath(spec, "depot.input.rate"), Catch::Contains("transit[0]"));
}

TEST_CASE("sweeps and populations use the model files' names", "[params]") {
  ScenarioSpec spec = two_step_depot();
  spec.compounds[0].ke0_per_h = 1.0;  // a brain compartment: ke0, ke0_half_life, partition
  CHECK_THROWS_WITH(SettablePath(two_step_depot(), "drug.ke0"),
                    Catch::Contains("has no [brain] compartment"));
  const SettablePath half_life(spec, "drug.half_life");
  half_life.set(spec, 2.0);
  CHECK(spec.compounds[0].k_elim_per_h == Approx(std::log(2.0) / 2.0));
  CHECK(half_life.get(spec) == Approx(2.0));
  const SettablePath ke0_half_life(spec, "drug.ke0_half_life");
  ke0_half_life.set(spec, 0.5);
  CHECK(spec.compounds[0].ke0_per_h == Approx(std::log(2.0) / 0.5));
  SettablePath(spec, "drug.partition").set(spec, 0.25);
  CHECK(spec.compounds[0].brain_partition == 0.25);
  SettablePath(spec, "drug.elimination_rate").set(spec, 0.3);
  CHECK(spec.compounds[0].k_elim_per_h == 0.3);
  CHECK_THROWS_WITH(SettablePath(spec, "drug.brain_partition"),
                    Catch::Contains("now called 'partition'"));
  CHECK_THROWS_WITH(SettablePath(spec, "drug.k_elim"),
                    Catch::Contains("now called 'elimination_rate'"));
}

TEST_CASE("a sweep sets a chain's rate as a population does", "[params][sweep]") {
  ScenarioSpec by_sweep = two_step_depot(), by_population = two_step_depot();
  ChallengeDose none;
  ParameterPath(by_sweep, "depot.input.transit[0]", false).apply(by_sweep, none, 1.0);
  SettablePath(by_population, "depot.input.transit[0]").set(by_population, 1.0);
  CHECK(by_sweep.formulations[0].phases[0].transit_rates_per_h == std::vector<double>{1.0, 0.5});
  CHECK(by_population.formulations[0].phases[0].transit_rates_per_h ==
        by_sweep.formulations[0].phases[0].transit_rates_per_h);
}
