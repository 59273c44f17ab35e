// Parameter paths shared by sweeps and populations: one rule for a transit chain's rate.
#include <catch2/catch.hpp>

#include "params/model_parameter.hpp"
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

TEST_CASE("<phase>.rate scales the chain and reads back its first rate", "[params]") {
  ScenarioSpec spec = two_step_depot();
  const ModelParameter rate(spec, "depot.input.rate");
  CHECK(rate.get(spec) == 2.0);
  rate.set(spec, 4.0);
  CHECK(spec.formulations[0].phases[0].transit_rates_per_h == std::vector<double>{4.0, 1.0});
  CHECK(rate.get(spec) == 4.0);
}

TEST_CASE("a sweep sets a chain's rate as a population does", "[params][sweep]") {
  ScenarioSpec by_sweep = two_step_depot(), by_population = two_step_depot();
  ChallengeDose none;
  ParameterPath(by_sweep, "depot.input.rate", false).apply(by_sweep, none, 1.0);
  ModelParameter(by_population, "depot.input.rate").set(by_population, 1.0);
  CHECK(by_sweep.formulations[0].phases[0].transit_rates_per_h == std::vector<double>{1.0, 0.25});
  CHECK(by_population.formulations[0].phases[0].transit_rates_per_h ==
        by_sweep.formulations[0].phases[0].transit_rates_per_h);
}
