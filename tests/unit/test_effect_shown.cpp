// receptor.operational_effect: a receptor model without an operational transducer (the FDA
// model, Mann 2022) yields no effect values; one with it (morsim's own receptor) does. Checked
// from the config through the simulation, the challenge table and the results file.
#include <hdf5.h>

#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <string>
#include <vector>

#include "analysis/challenges.hpp"
#include "config/load_scenario.hpp"
#include "io/h5_handle.hpp"
#include "io/h5_read.hpp"
#include "io/results_file.hpp"
#include "model/errors.hpp"
#include "solver/simulate.hpp"
#include "support/temp_dir.hpp"

namespace fs = std::filesystem;
using namespace morsim;

namespace {

const fs::path kSource = MORSIM_SOURCE_DIR;

// An agonist with an IV bolus; `receptor` is the scenario's [receptor] table.
std::string scenario(const std::string& receptor) {
  return R"(
[scenario]
name = "effect-shown"
[[compound]]
name = "agonist"
molar_mass = "300 g/mol"
[compound.pk]
central_volume = "10 L"
elimination_rate = "1 /h"
[compound.brain]
ke0 = "5 /h"
[compound.binding]
ki = "1 nM"
koff = "1 /min"
tau = 5
[[formulation]]
name = "agonist-iv"
compound = "agonist"
route = "iv"
[[formulation.phase]]
name = "bolus"
fraction = 1
[output]
end = "6 h"
step = "0.1 h"
)" + receptor +
         R"(
[[arm]]
name = "dose"
[[arm.dose]]
formulation = "agonist-iv"
amount = "1 mg"
)";
}

ScenarioSpec load(const std::string& receptor) {
  return load_scenario_text(scenario(receptor), "effect-shown.toml",
                            DirectoryLibrary(kSource / "models"));
}

bool all_nan(const std::vector<double>& v) {
  for (double x : v)
    if (!std::isnan(x)) return false;
  return !v.empty();
}

}  // namespace

TEST_CASE("operational_effect = false: the effect is not computed", "[effect][config]") {
  const ScenarioSpec with = load("[receptor]\nmodel = \"none\"\n");
  const ScenarioSpec without = load(
      "[receptor]\nmodel = \"none\"\n"
      "operational_effect = { value = false, source = \"estimate: test\" }\n");
  CHECK(with.receptor.operational_effect);
  CHECK_FALSE(without.receptor.operational_effect);
  bool recorded = false;
  for (const ParameterSource& p : without.sources)
    if (p.path == "receptor.operational_effect") {
      recorded = true;
      CHECK(p.value == "false");
      CHECK(p.source == "estimate: test");
    }
  CHECK(recorded);
  CHECK(describe_model(without).find("effect: not modelled") != std::string::npos);

  const Trajectory a = simulate(with).front();
  const Trajectory b = simulate(without).front();
  CHECK(a.effect_modelled);
  CHECK_FALSE(b.effect_modelled);
  REQUIRE(a.n_times() == b.n_times());
  double peak = 0.0;
  for (double e : a.effect) {
    REQUIRE(std::isfinite(e));
    peak = std::max(peak, e);
  }
  CHECK(peak > 0.5);
  CHECK(all_nan(b.effect));
  // Occupancy does not depend on the setting.
  for (std::size_t i = 0; i < a.occupancy.size(); ++i) CHECK(a.occupancy[i] == b.occupancy[i]);

  // The challenge table: an effect and a blockade column with values only where modelled.
  const auto ra = analyse_challenges(with, a, &a);
  const auto rb = analyse_challenges(without, b, &b);
  REQUIRE(ra.size() == 1);
  REQUIRE(rb.size() == 1);
  CHECK(ra[0].peak_effect == Approx(peak));
  CHECK(ra[0].blockade == Approx(0.0).margin(1e-12));
  CHECK(std::isnan(rb[0].peak_effect));
  CHECK(std::isnan(rb[0].blockade));
  CHECK(rb[0].peak_agonist_occupancy == Approx(ra[0].peak_agonist_occupancy));
  CHECK(format_challenge_table("dose", rb).find("not modelled") != std::string::npos);
  CHECK(format_challenge_table("dose", ra).find("not modelled") == std::string::npos);
}

TEST_CASE("operational_effect is marked in the results file and read back", "[effect][hdf5]") {
  testing::TempDir dir;
  for (const bool modelled : {true, false}) {
    INFO("operational_effect = " << modelled);
    const ScenarioSpec s = load(std::string("[receptor]\nmodel = \"none\"\noperational_effect = ") +
                                (modelled ? "true" : "false") + "\n");
    const std::string path = dir.file(modelled ? "with.h5" : "without.h5");
    write_results(path, s, simulate(s), WriteOptions{});
    {
      H5QuietErrors quiet;
      H5Id file(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose, "open");
      CHECK(read_attr_int(file.get(), "operational_effect") == (modelled ? 1 : 0));
      H5Id set(H5Dopen2(file.get(), "dose/effect", H5P_DEFAULT), H5Dclose, "open effect");
      CHECK(read_attr_int(set.get(), "modelled") == (modelled ? 1 : 0));
    }
    const Trajectory back = read_arm(path, "dose");
    CHECK(back.effect_modelled == modelled);
    CHECK(all_nan(back.effect) == !modelled);
  }
}

TEST_CASE("the FDA receptor model has no operational effect, morsim's own has one",
          "[effect][fda]") {
  const ScenarioSpec fda = load_scenario_file(
      (kSource / "configs" / "crosscheck" / "fda-b-fentanyl-naloxone-im.toml").string());
  CHECK_FALSE(fda.receptor.operational_effect);
  const ScenarioSpec demo =
      load_scenario_file((kSource / "configs" / "demo" / "naloxone-rescue.toml").string());
  CHECK_FALSE(demo.receptor.operational_effect);
  const ScenarioSpec own =
      load_scenario_file((kSource / "configs" / "demo" / "depot-blockade.toml").string());
  CHECK(own.receptor.operational_effect);
  // A scenario may switch it off on top of a receptor file that has it.
  const ScenarioSpec off = load("[receptor]\noperational_effect = false\n");
  CHECK_FALSE(off.receptor.operational_effect);
}
