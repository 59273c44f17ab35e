// The output window chooses what is written, not what is taken: a dose before [output] start
// is simulated, and the samples inside the window equal those of a run that writes from 0.
#include <catch2/catch.hpp>
#include <string>

#include "config/load_scenario.hpp"
#include "solver/simulate.hpp"

using namespace morsim;

namespace {
std::string tablet_scenario(const std::string& start) {
  return R"([scenario]
name = "window"
use = ["naltrexone-oral-50mg"]
[output]
start = ")" +
         start + R"("
end = "24 h"
step = "1 h"
[[arm]]
name = "tablet"
[[arm.dose]]
formulation = "naltrexone-oral-50mg"
amount = "50 mg"
time = "0 h"
)";
}
}  // namespace

TEST_CASE("a dose before the output window is taken", "[solver]") {
  const EmbeddedLibrary lib;
  const ScenarioSpec late = load_scenario_text(tablet_scenario("2 h"), "late.toml", lib);
  const ScenarioSpec full = load_scenario_text(tablet_scenario("0 h"), "full.toml", lib);
  const Trajectory a = simulate(late).at(0), b = simulate(full).at(0);
  REQUIRE(a.t_h.size() == 23);  // 2, 3, ..., 24 h
  REQUIRE(b.t_h.size() == 25);
  CHECK(a.t_h.front() == 2.0);
  const std::size_t nk = a.compounds.size();
  for (std::size_t i = 0; i < a.t_h.size(); ++i)
    for (std::size_t k = 0; k < nk; ++k)
      CHECK(a.plasma_nM[i * nk + k] == Approx(b.plasma_nM[(i + 2) * nk + k]).epsilon(1e-6));
  CHECK(a.plasma_nM[0] > 1.0);  // naltrexone 2 h after the tablet: far from zero
}
