// Peaks located on the solver's dense output do not depend on the output grid: a closed form
// placed exactly from a coarse grid, and a lesson's challenge peaks on a 1-h grid against a
// 1-min grid.
#include <catch2/catch.hpp>
#include <cmath>
#include <fstream>
#include <sstream>
#include <string>

#include "analysis/challenges.hpp"
#include "analysis/dense_peak.hpp"
#include "config/load_scenario.hpp"
#include "solver/arm_simulator.hpp"
#include "solver/simulate.hpp"
#include "support/simple_models.hpp"

using namespace morsim;
using namespace morsim::testing;

namespace {

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// The shipped oral lesson on another output grid: `step`, and no refinement after doses.
std::string oral_lesson_on_grid(const std::string& step) {
  std::istringstream in(
      read_file(std::string(MORSIM_SOURCE_DIR) + "/configs/demo/oral-blockade.toml"));
  std::string out, line;
  while (std::getline(in, line)) {
    if (line.rfind("refine", 0) == 0) continue;
    if (line.rfind("step =", 0) == 0) line = "step = \"" + step + "\"";
    out += line + "\n";
  }
  return out;
}

}  // namespace

TEST_CASE("an oral peak is placed at ln(ka/ke)/(ka-ke) from a 1-h grid", "[analysis][peaks]") {
  const double v = 80, ke = 0.2, ka = 1.5, f = 0.6, d = 50;
  DoseRecord po;
  po.formulation = "po";
  po.amount_mg = d;
  po.time_h = 0.0;
  const ScenarioSpec s = one_arm({simple_compound("drug", v, ke)},
                                 {simple_formulation("po", "drug", {ka}, f)}, {po}, 24, 1.0);
  const double t_max = std::log(ka / ke) / (ka - ke);  // 1.55 h: between two grid samples
  const double c_max =
      f * d * ka / (v * (ka - ke)) * (std::exp(-ke * t_max) - std::exp(-ka * t_max));
  // On the 1-h grid the sampled maximum misses the peak by well over the tolerance below.
  const Trajectory grid = simulate(s).front();
  double grid_max = 0.0;
  for (std::size_t i = 0; i < grid.n_times(); ++i) grid_max = std::max(grid_max, grid.plasma(i, 0));
  REQUIRE(grid_max < c_max * (1.0 - 1e-3));

  ArmSimulator sim(s);
  const SampleObservable plasma = [](const Trajectory& t, std::size_t i) { return t.plasma(i, 0); };
  const auto found = locate_peaks(sim, s.arms.front(), {{0.0, 24.0}}, {plasma});
  REQUIRE(found.size() == 1);
  CHECK(found[0][0].t_h == Approx(t_max).margin(1.0 / 3600.0));  // within a second
  CHECK(found[0][0].value == Approx(c_max).epsilon(1e-7));
  CHECK(found[0][0].at_peak.n_times() == 1);
}

TEST_CASE("challenge peaks on a 1-h grid equal those on a 1-min grid", "[analysis][peaks]") {
  const EmbeddedLibrary lib;
  const ScenarioSpec coarse = load_scenario_text(oral_lesson_on_grid("1 h"), "coarse.toml", lib);
  const ScenarioSpec fine = load_scenario_text(oral_lesson_on_grid("1 min"), "fine.toml", lib);
  const auto ca = simulate(coarse), fa = simulate(fine);
  REQUIRE(ca.size() == 2);
  // Read off the 1-h grid, the control peak would be far from the truth (the 66 % of issue 15).
  double sampled = 0.0;
  for (std::size_t i = 0; i < ca[0].n_times(); ++i)
    sampled = std::max(sampled, ca[0].agonist_occupancy(i));
  const auto fine_control = analyse_challenges(fine, fa[0], nullptr);
  REQUIRE(!fine_control.empty());
  REQUIRE(sampled < fine_control.front().peak_agonist_occupancy - 0.05);
  for (std::size_t a = 0; a < 2; ++a) {
    const auto rc = analyse_challenges(coarse, ca[a], a ? &ca[0] : nullptr);
    const auto rf = analyse_challenges(fine, fa[a], a ? &fa[0] : nullptr);
    REQUIRE(rc.size() == 3);
    REQUIRE(rf.size() == rc.size());
    for (std::size_t j = 0; j < rc.size(); ++j) {
      CHECK(rc[j].peak_agonist_occupancy == Approx(rf[j].peak_agonist_occupancy).margin(1e-3));
      CHECK(rc[j].peak_time_h == Approx(rf[j].peak_time_h).margin(1.0 / 60.0));
      CHECK(rc[j].peak_effect == Approx(rf[j].peak_effect).margin(1e-3));
      CHECK(rc[j].antagonist_occupancy == Approx(rf[j].antagonist_occupancy).margin(1e-3));
      if (a) CHECK(rc[j].blockade == Approx(rf[j].blockade).margin(1e-3));
      // The 1-min grid itself: the located peak is at least its best sample, and not above
      // it by more than the curvature over half a minute allows.
      double best = 0.0;
      for (std::size_t i = 0; i < fa[a].n_times(); ++i)
        if (fa[a].t_h[i] >= rf[j].dose_time_h && fa[a].t_h[i] <= rf[j].dose_time_h + 24.0)
          best = std::max(best, fa[a].agonist_occupancy(i));
      CHECK(rf[j].peak_agonist_occupancy >= best - 1e-9);
      CHECK(rf[j].peak_agonist_occupancy <= best + 1e-3);
    }
  }
}

TEST_CASE("the run table's time column suits the run, '-' where a column means nothing",
          "[analysis][table]") {
  CHECK(std::string(time_unit_for_span(2.0).name) == "min");
  CHECK(std::string(time_unit_for_span(12.0).name) == "h");
  CHECK(std::string(time_unit_for_span(240.0).name) == "d");
  ChallengeResult r;
  r.dose_time_h = 6.0;
  r.formulation = "heroin-iv";
  r.amount_mg = 25;
  r.peak_agonist_occupancy = 0.865;
  r.peak_time_h = 6.0 + 11.4 / 60.0;
  r.antagonist_occupancy = 0.0;
  r.peak_effect = 0.806;
  r.blockade = std::nan("");
  const std::string t = format_challenge_table("control", {r}, 12.0);
  CHECK(t.find("time_h") != std::string::npos);
  CHECK(t.find("day") == std::string::npos);
  CHECK(t.find("    6.00") != std::string::npos);  // 6 h, not day 0.25
  CHECK(t.find("11.4") != std::string::npos);      // minutes from dose to peak
  // Control arm: no antagonist at the peak and no reference, so two "-" cells.
  std::size_t dashes = 0;
  for (std::size_t p = t.find(" -"); p != std::string::npos; p = t.find(" -", p + 1)) ++dashes;
  CHECK(dashes == 2);
  const std::string d = format_challenge_table("control", {r}, 240.0);
  CHECK(d.find("time_d") != std::string::npos);
  CHECK(d.find("    0.25") != std::string::npos);
}
