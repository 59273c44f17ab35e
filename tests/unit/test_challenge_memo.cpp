// A ChallengeMemo reuses located peaks within one run without changing any number: every arm
// gives what it gives without a memo, arms are not confused, and nothing outlives the memo.
#include <catch2/catch.hpp>
#include <cmath>
#include <fstream>
#include <sstream>
#include <string>

#include "analysis/challenges.hpp"
#include "config/load_scenario.hpp"
#include "solver/simulate.hpp"

using namespace morsim;

namespace {

std::string depot_lesson(const std::string& depot_amount) {
  std::ifstream in(std::string(MORSIM_SOURCE_DIR) + "/configs/demo/depot-blockade.toml");
  std::stringstream s;
  s << in.rdbuf();
  std::string text = s.str();
  const std::string from = "amount = \"380 mg\"";
  text.replace(text.find(from), from.size(), "amount = \"" + depot_amount + "\"");
  return text;
}

void require_same(const std::vector<ChallengeResult>& a, const std::vector<ChallengeResult>& b) {
  REQUIRE(a.size() == b.size());
  for (std::size_t j = 0; j < a.size(); ++j) {
    CHECK(a[j].peak_agonist_occupancy == b[j].peak_agonist_occupancy);
    CHECK(a[j].peak_time_h == b[j].peak_time_h);
    CHECK(a[j].antagonist_occupancy == b[j].antagonist_occupancy);
    CHECK(a[j].peak_effect == b[j].peak_effect);
    CHECK((a[j].blockade == b[j].blockade ||
           (std::isnan(a[j].blockade) && std::isnan(b[j].blockade))));
  }
}

}  // namespace

TEST_CASE("a challenge memo changes no number and keeps arms apart", "[analysis][peaks]") {
  const ScenarioSpec spec =
      load_scenario_text(depot_lesson("380 mg"), "depot.toml", EmbeddedLibrary());
  const std::vector<Trajectory> arms = simulate(spec);
  REQUIRE(arms.size() == 2);
  const auto control = analyse_challenges(spec, arms[0], nullptr);
  const auto treated = analyse_challenges(spec, arms[1], &arms[0]);
  REQUIRE(control.size() == 5);
  // The depot blocks: the treated arm's peaks are not the control's, so a mix-up shows.
  REQUIRE(treated.front().peak_agonist_occupancy < control.front().peak_agonist_occupancy - 0.1);
  ChallengeMemo memo;
  require_same(analyse_challenges(spec, arms[1], &arms[0]), treated);
  require_same(analyse_challenges(spec, arms[0], nullptr), control);
  require_same(analyse_challenges(spec, arms[1], &arms[0]), treated);  // now from the memo
}

TEST_CASE("a challenge memo ends with its scope", "[analysis][peaks]") {
  std::vector<ChallengeResult> with_full_depot;
  {
    ChallengeMemo memo;
    const ScenarioSpec spec =
        load_scenario_text(depot_lesson("380 mg"), "depot.toml", EmbeddedLibrary());
    const auto arms = simulate(spec);
    with_full_depot = analyse_challenges(spec, arms[1], &arms[0]);
  }
  // The same arm names and windows, a smaller depot: a stale memo would repeat the peaks.
  const ScenarioSpec spec =
      load_scenario_text(depot_lesson("38 mg"), "depot.toml", EmbeddedLibrary());
  const auto arms = simulate(spec);
  const auto small = analyse_challenges(spec, arms[1], &arms[0]);
  REQUIRE(small.size() == with_full_depot.size());
  CHECK(small.front().peak_agonist_occupancy >
        with_full_depot.front().peak_agonist_occupancy + 0.05);
}
