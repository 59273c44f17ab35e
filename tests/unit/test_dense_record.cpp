// A kept run (SimulateOptions::keep_dense_output) is the solver's dense output of the arm: read
// at any time it gives what a simulation sampled there gives, the challenge peaks located on
// it are those of the two extra simulations it replaces, and the run's table simulates nothing.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <string>
#include <vector>

#include "analysis/challenges.hpp"
#include "analysis/dense_peak.hpp"
#include "config/load_scenario.hpp"
#include "model/dense_output.hpp"
#include "solver/arm_simulator.hpp"
#include "solver/sample_grid.hpp"
#include "solver/simulate.hpp"
#include "support/simple_models.hpp"

using namespace morsim;

namespace {

ScenarioSpec demo(const std::string& name) {
  return load_scenario_file(std::string(MORSIM_SOURCE_DIR) + "/configs/demo/" + name + ".toml");
}

SimulateOptions kept() {
  SimulateOptions o;
  o.keep_dense_output = true;
  return o;
}

bool close(double a, double b, double rel) {
  if (a == b || (std::isnan(a) && std::isnan(b))) return true;
  return std::abs(a - b) <= rel * std::max(std::abs(a), std::abs(b));
}

void require_close(const std::vector<double>& a, const std::vector<double>& b, double rel) {
  REQUIRE(a.size() == b.size());
  std::size_t bad = 0;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (!close(a[i], b[i], rel)) ++bad;
  CHECK(bad == 0);
}

// Times that fall anywhere in steps: every dose time (where a sample sees the dose), just
// before and after each, an irregular spread over the run, and the run's ends.
std::vector<double> probe_times(const Trajectory& tr, double t_end_h) {
  std::vector<double> t = {0.0, t_end_h};
  for (const DoseLogEntry& d : tr.doses)
    for (double dt : {-1e-3, 0.0, 1e-7, 1.0 / 60.0, 0.1234567})
      if (d.applied_time_h + dt >= 0.0 && d.applied_time_h + dt <= t_end_h)
        t.push_back(d.applied_time_h + dt);
  for (int k = 1; k < 400; ++k) t.push_back(t_end_h * std::fmod(k * 0.6180339887, 1.0));
  std::sort(t.begin(), t.end());
  t.erase(std::unique(t.begin(), t.end()), t.end());
  return t;
}

std::vector<PeakWindow> challenge_windows(const ScenarioSpec& spec, const Trajectory& tr) {
  std::vector<const DoseLogEntry*> doses;
  for (const DoseLogEntry& d : tr.doses)
    if (d.status != DoseStatus::kMissed && produces_agonist(spec, d.compound)) doses.push_back(&d);
  std::vector<PeakWindow> w;
  for (std::size_t j = 0; j < doses.size(); ++j) {
    const double t0 = doses[j]->applied_time_h;
    double t1 = std::min(t0 + 24.0, spec.grid.t_end_h);
    if (j + 1 < doses.size()) t1 = std::min(t1, doses[j + 1]->applied_time_h);
    w.push_back({t0, t1});
  }
  return w;
}

}  // namespace

TEST_CASE("a kept run read at any time equals a simulation sampled there", "[solver][dense]") {
  for (const std::string name : {"depot-blockade", "kinetic-vs-equilibrium"}) {
    INFO(name);
    const ScenarioSpec spec = demo(name);
    ArmSimulator sim(spec);
    for (const Arm& arm : spec.arms) {
      INFO(arm.name);
      const Trajectory run = sim.simulate(arm, arm_sample_times(spec, arm), nullptr, kept());
      REQUIRE(run.dense);
      // Only the arm's run from 0 is kept, not the steady-state pre-runs before it.
      CHECK(run.dense->t_begin_h() == 0.0);
      CHECK(run.dense->t_end_h() == spec.grid.t_end_h);
      CHECK(static_cast<long>(run.dense->n_steps()) == run.stats.steps);
      const std::vector<double> t = probe_times(run, spec.grid.t_end_h);
      const Trajectory sampled = sim.simulate(arm, t);
      const Trajectory read = run.dense->sample(t);
      REQUIRE(read.t_h == sampled.t_h);
      REQUIRE(read.compounds == sampled.compounds);
      require_close(read.plasma_nM, sampled.plasma_nM, 1e-12);
      require_close(read.brain_nM, sampled.brain_nM, 1e-12);
      require_close(read.occupancy, sampled.occupancy, 1e-12);
      require_close(read.free_receptor, sampled.free_receptor, 1e-12);
      require_close(read.effect, sampled.effect, 1e-12);
      // The kept run's own samples are those of the same times read back.
      const Trajectory again = run.dense->sample(run.t_h);
      require_close(again.occupancy, run.occupancy, 1e-12);
    }
  }
}

TEST_CASE("a dose at a kept run's last time is seen there, as by a sample", "[solver][dense]") {
  DoseRecord first, last;
  first.formulation = last.formulation = "iv";
  first.amount_mg = last.amount_mg = 10.0;
  first.time_h = 0.0;
  last.time_h = 24.0;  // the end of the run: no step follows it
  const ScenarioSpec s =
      testing::one_arm({testing::simple_compound("drug", 50.0, 0.3)},
                       {testing::simple_formulation("iv", "drug")}, {first, last}, 24.0, 1.0);
  const Trajectory run = simulate(s, nullptr, kept()).front();
  REQUIRE(run.dense);
  const Trajectory read = run.dense->sample({0.0, 23.999, 24.0});
  CHECK(read.plasma(0, 0) == run.plasma(0, 0));
  CHECK(read.plasma(2, 0) == run.plasma(run.n_times() - 1, 0));
  CHECK(read.plasma(2, 0) > 10.0 * read.plasma(1, 0));  // after the second dose
}

TEST_CASE("no run is kept unless asked, nor by a method without dense output", "[solver][dense]") {
  ScenarioSpec spec = demo("depot-blockade");
  const Arm& arm = spec.arms.front();
  CHECK_FALSE(simulate_arm(spec, arm, arm_sample_times(spec, arm)).dense);
  spec.solver.method = SolverMethod::kExactLinear;
  spec.receptor.mode = BindingMode::kEquilibrium;  // linear: exact-linear runs
  const Trajectory exact = simulate_arm(spec, arm, arm_sample_times(spec, arm), nullptr, kept());
  REQUIRE(exact.stats.method == "exact-linear");
  CHECK_FALSE(exact.dense);
  // The table still locates the peaks, on new simulations.
  CHECK(analyse_challenges(spec, exact, nullptr).size() == 5);
}

TEST_CASE("peaks on a kept run equal those of two more simulations", "[analysis][peaks][dense]") {
  const ScenarioSpec spec = demo("depot-blockade");
  ArmSimulator sim(spec);
  const SampleObservable agonist = [](const Trajectory& t, std::size_t i) {
    return t.agonist_occupancy(i);
  };
  const SampleObservable effect = [](const Trajectory& t, std::size_t i) { return t.effect[i]; };
  for (const Arm& arm : spec.arms) {
    INFO(arm.name);
    const Trajectory run = sim.simulate(arm, arm_sample_times(spec, arm), nullptr, kept());
    const std::vector<PeakWindow> windows = challenge_windows(spec, run);
    REQUIRE(windows.size() == 5);
    REQUIRE(dense_output_covers(*run.dense, windows));
    const auto on_record = locate_peaks(*run.dense, windows, {agonist, effect});
    const auto twice = locate_peaks_simulating_twice(sim, arm, windows, {agonist, effect});
    const auto once = locate_peaks(sim, arm, windows, {agonist, effect});
    REQUIRE(on_record.size() == windows.size());
    for (std::size_t w = 0; w < windows.size(); ++w)
      for (std::size_t o = 0; o < 2; ++o) {
        CHECK(close(on_record[w][o].value, twice[w][o].value, 1e-12));
        CHECK(close(on_record[w][o].t_h, twice[w][o].t_h, 1e-12));
        CHECK(close(once[w][o].value, twice[w][o].value, 1e-12));
        CHECK(close(once[w][o].t_h, twice[w][o].t_h, 1e-12));
        REQUIRE(on_record[w][o].at_peak.n_times() == 1);
        CHECK(close(on_record[w][o].at_peak.antagonist_occupancy(0),
                    twice[w][o].at_peak.antagonist_occupancy(0), 1e-12));
      }
    // The peaks are real ones: after each challenge, well above the level at the dose.
    CHECK(on_record[0][0].t_h > windows[0].t0_h);
    CHECK(on_record[0][0].value > 0.1);
  }
}

TEST_CASE("the challenge table of kept runs simulates nothing more", "[analysis][peaks][dense]") {
  const ScenarioSpec spec = demo("depot-blockade");
  const std::vector<Trajectory> arms = simulate(spec, nullptr, kept());
  const std::vector<Trajectory> bare = simulate(spec);
  REQUIRE(arms.size() == 2);
  const long before = ArmSimulator::simulations_started();
  const auto control = analyse_challenges(spec, arms[0], nullptr);
  const auto treated = analyse_challenges(spec, arms[1], &arms[0]);
  CHECK(ArmSimulator::simulations_started() == before);
  // Without kept runs each location simulates the arm once more (it was twice), to the same
  // numbers: the control's twice (its own table, and the reference of the treated arm's).
  const auto bare_control = analyse_challenges(spec, bare[0], nullptr);
  const auto bare_treated = analyse_challenges(spec, bare[1], &bare[0]);
  CHECK(ArmSimulator::simulations_started() == before + 3);
  REQUIRE(control.size() == 5);
  REQUIRE(treated.size() == bare_treated.size());
  for (std::size_t j = 0; j < control.size(); ++j) {
    CHECK(close(control[j].peak_agonist_occupancy, bare_control[j].peak_agonist_occupancy, 1e-12));
    CHECK(close(treated[j].peak_agonist_occupancy, bare_treated[j].peak_agonist_occupancy, 1e-12));
    CHECK(close(treated[j].peak_time_h, bare_treated[j].peak_time_h, 1e-12));
    CHECK(close(treated[j].antagonist_occupancy, bare_treated[j].antagonist_occupancy, 1e-12));
    CHECK(close(treated[j].blockade, bare_treated[j].blockade, 1e-12));
  }
  CHECK(treated.front().blockade > 0.2);  // the depot blocks: arms are not mixed up
}
