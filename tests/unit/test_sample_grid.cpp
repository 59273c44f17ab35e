// The output grid of an arm: the regular grid plus optional fine samples after each dose.
#include <catch2/catch.hpp>

#include "solver/sample_grid.hpp"
#include "support/simple_models.hpp"

using namespace morsim;
using namespace morsim::testing;

TEST_CASE("dose refinement adds fine samples after taken doses only", "[grid]") {
  DoseRecord r;
  r.formulation = "iv";
  r.amount_mg = 1;
  r.time_h = 2.0;
  r.addl = 1;
  r.ii_h = 3.0;
  r.missed = {1};
  ScenarioSpec s =
      one_arm({simple_compound("d", 1, 1)}, {simple_formulation("iv", "d")}, {r}, 10, 1.0);
  CHECK(arm_sample_times(s, s.arms[0]).size() == 11);  // no refinement by default
  s.grid.refine_after_doses_h = 0.5;
  s.grid.refine_step_h = 0.1;
  const std::vector<double> t = arm_sample_times(s, s.arms[0]);
  // 11 grid points + 2.1, 2.2, 2.3, 2.4, 2.5 (2.0 is on the grid); the missed dose adds none.
  REQUIRE(t.size() == 16);
  CHECK(std::is_sorted(t.begin(), t.end()));
  CHECK(t[3] == Approx(2.1));
  CHECK(t[7] == Approx(2.5));
  CHECK(t.back() == 10.0);
}
