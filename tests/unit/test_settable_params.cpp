// --set on doses (named as sweeps name them) and the list of `morsim show --params`: every
// listed path is accepted by --set with its listed value and leaves the model as it was.
#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "config/load_scenario.hpp"
#include "config/settable_params.hpp"
#include "model/errors.hpp"
#include "solver/simulate.hpp"
#include "sweep/parameter_path.hpp"

using namespace morsim;
namespace fs = std::filesystem;

namespace {

const fs::path kSource = MORSIM_SOURCE_DIR;

// Oral naltrexone, three daily tablets, and one IV heroin dose: linear PK throughout.
const char* kScenario = R"(
[scenario]
name = "doses"
use = ["heroin-iv", "naltrexone-oral-50mg"]
[output]
end = "3 d"
step = "1 h"
[[arm]]
name = "treated"
[[arm.dose]]
formulation = "naltrexone-oral-50mg"
amount = "50 mg"
time = "0 h"
addl = 2
interval = "24 h"
[[arm.dose]]
formulation = "heroin-iv"
amount = "25 mg"
time = "30 h"
)";

ScenarioSpec load(const std::vector<std::string>& set = {}) {
  return load_scenario_text(kScenario, "doses.toml", DirectoryLibrary(kSource / "models"), set);
}

ConfigError set_error(const std::string& set) {
  try {
    load({set});
  } catch (const ConfigError& e) {
    return e;
  }
  FAIL("no ConfigError for --set " << set);
  throw;
}

// Relative difference, 0 when both are 0.
double rel(double a, double b) {
  const double m = std::max(std::fabs(a), std::fabs(b));
  return m == 0.0 ? 0.0 : std::fabs(a - b) / m;
}

// Every number the simulation reads, in one list (compounds, formulations, receptor, doses).
std::vector<double> numbers(const ScenarioSpec& s) {
  std::vector<double> v;
  for (const Compound& c : s.compounds) {
    v.insert(v.end(), {c.molar_mass_g_per_mol, c.central_volume_L, c.k_elim_per_h, c.ke0_per_h,
                       c.brain_partition, c.binding.kon_per_nM_n_per_h, c.binding.koff_per_h,
                       c.binding.hill_n, c.binding.tau});
    for (const PeripheralCompartment& p : c.peripherals)
      v.insert(v.end(), {p.k_out_per_h, p.k_in_per_h});
    for (const MetaboliteLink& m : c.metabolites) v.push_back(m.fraction);
  }
  for (const Formulation& f : s.formulations) {
    v.insert(v.end(), {f.bioavailability, f.dosed_molar_mass_g_per_mol});
    for (const FirstPassLink& l : f.first_pass) v.push_back(l.fraction);
    for (const AbsorptionPhase& ph : f.phases) {
      v.insert(v.end(), {ph.fraction, ph.lag_h, ph.duration_h});
      v.insert(v.end(), ph.transit_rates_per_h.begin(), ph.transit_rates_per_h.end());
    }
  }
  v.push_back(s.receptor.transducer_slope);
  for (const Arm& a : s.arms)
    for (const DoseRecord& d : a.doses) {
      v.insert(v.end(), {d.amount_mg, d.time_h, static_cast<double>(d.addl), d.ii_h, d.duration_h,
                         d.rate_mg_per_h, static_cast<double>(d.missed.size())});
      for (int m : d.missed) v.push_back(m);
    }
  return v;
}

std::string text_of(const fs::path& p) {
  std::ifstream in(p);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace

TEST_CASE("set: a dose doubled by --set, as a sweep doubles it, doubles plasma", "[config][set]") {
  const ScenarioSpec base = load();
  const ScenarioSpec doubled = load({"doses.treated.0.amount=100 mg"});
  REQUIRE(doubled.arms[0].doses[0].amount_mg == 100.0);
  CHECK(doubled.arms[0].doses[1].amount_mg == 25.0);  // the other record is untouched

  // The sweep's path to the same dose sets the same number.
  ScenarioSpec swept = base;
  sweep::ChallengeDose none;
  sweep::ParameterPath(base, "doses.treated.0.amount", false).apply(swept, none, 100.0);
  CHECK(swept.arms[0].doses[0].amount_mg == doubled.arms[0].doses[0].amount_mg);

  const Trajectory a = simulate(base)[0], b = simulate(doubled)[0];
  const std::size_t k = a.compound_index("naltrexone");
  double peak = 0.0;
  for (std::size_t i = 0; i < a.t_h.size(); ++i) peak = std::max(peak, a.plasma(i, k));
  std::size_t compared = 0;
  for (std::size_t i = 0; i < a.t_h.size(); ++i) {
    if (a.plasma(i, k) < 1e-3 * peak) continue;  // below the solver's absolute tolerance
    INFO("t = " << a.t_h[i] << " h");
    CHECK(b.plasma(i, k) / a.plasma(i, k) == Approx(2.0).epsilon(1e-4));
    ++compared;
  }
  CHECK(compared > 48);
}

TEST_CASE("set: --set moves a dose in time and misses the last tablets", "[config][set]") {
  const ScenarioSpec later = load({"doses.treated.1.time=36 h"});
  CHECK(later.arms[0].doses[1].time_h == 36.0);
  const ScenarioSpec missed = load({"doses.treated.0.missed_last=2"});
  CHECK(missed.arms[0].doses[0].missed == std::vector<int>{1, 2});
  CHECK(load({"doses.treated.0.missed_last=0"}).arms[0].doses[0].missed.empty());
  // The same from a scenario's [overrides] table.
  const std::string with_table =
      std::string(kScenario) + "[overrides]\n\"doses.treated.0.amount\" = \"0.1 g\"\n";
  CHECK(load_scenario_text(with_table, "t.toml", DirectoryLibrary(kSource / "models"))
            .arms[0]
            .doses[0]
            .amount_mg == 100.0);
}

TEST_CASE("a dose path that names nothing is refused with what is allowed", "[config][set]") {
  const ConfigError arm = set_error("doses.treatd.0.amount=1 mg");
  CHECK(arm.file() == "command line");
  CHECK(arm.key() == "doses.treatd.0.amount");
  CHECK_THAT(arm.what(), Catch::Contains("no arm 'treatd'") &&
                             Catch::Contains("did you mean 'treated'") &&
                             Catch::Contains("allowed arms: treated"));
  CHECK_THAT(set_error("doses.treated.2.amount=1 mg").what(),
             Catch::Contains("has 2 dose record(s)") && Catch::Contains("allowed indices: 0 to 1"));
  CHECK_THAT(set_error("doses.treated.x.amount=1 mg").what(),
             Catch::Contains("'x' is not one of them"));
  CHECK_THAT(set_error("doses.treated.0.amout=1 mg").what(),
             Catch::Contains("no key 'amout'") && Catch::Contains("did you mean 'amount'") &&
                 Catch::Contains("allowed: amount, time, missed_last"));
  CHECK_THAT(set_error("doses.treated.0.missed_last=4").what(),
             Catch::Contains("a whole number of doses from 0 to 3"));
  CHECK_THAT(set_error("doses.treated.0.missed_last=1.5").what(), Catch::Contains("got 1.5"));
  CHECK_THAT(set_error("doses.treated=1 mg").what(),
             Catch::Contains("doses.<arm>.<index>.{amount, time, missed_last}"));
  // The value is checked like a value in the file: the error comes from the command line and
  // names the dose's key in the scenario, as for any override (test_config_errors.cpp).
  const ConfigError unit = set_error("doses.treated.0.amount=50 mL");
  CHECK(unit.file() == "command line");
  CHECK(unit.key() == "arm[0].dose[0].amount");
  CHECK_THAT(unit.what(), Catch::Contains("not mass") && Catch::Contains("allowed for mass"));
  // Paths that are not doses list the dose paths among the allowed ones.
  CHECK_THAT(set_error("dose.treated.0.amount=1 mg").what(),
             Catch::Contains("did you mean 'doses.treated.0.amount'"));
}

TEST_CASE("every path of show --params takes its listed value and changes nothing",
          "[config][set]") {
  std::vector<fs::path> configs;
  for (const char* dir : {"configs/demo", "configs/reference", "configs/calibration/scenarios"})
    for (const auto& e : fs::directory_iterator(kSource / dir)) {
      const std::string text = text_of(e.path());
      if (e.path().extension() == ".toml" && text.find("[population]") == std::string::npos)
        configs.push_back(e.path());
    }
  REQUIRE(configs.size() >= 8);
  std::size_t checked = 0;
  for (const fs::path& config : configs) {
    const ScenarioSpec base = load_scenario_file(config.string());
    const std::vector<double> want = numbers(base);
    const std::vector<SettableParameter> params = settable_parameters(base);
    for (const SettableParameter& p : params) {
      INFO(config.filename().string()
           << ": --set '" << p.path << "=" << p.value << " " << p.unit << "'");
      const std::string set = p.path + "=" + p.value + (p.unit.empty() ? "" : " " + p.unit);
      const ScenarioSpec again = load_scenario_file(config.string(), {set});
      const std::vector<double> got = numbers(again);
      REQUIRE(got.size() == want.size());
      double worst = 0.0;
      for (std::size_t i = 0; i < got.size(); ++i) worst = std::max(worst, rel(got[i], want[i]));
      CHECK(worst <= 1e-14);
      ++checked;
    }
    // A listed path set to another value does change the model: the comparison can fail.
    const std::vector<double> moved = numbers(load_scenario_file(
        config.string(), {params.front().path + "=" + "1 " + params.front().unit}));
    CHECK(moved != want);
  }
  CHECK(checked > 200);
}

TEST_CASE("show --params names units, alternatives and doses", "[config][set]") {
  const ScenarioSpec s = load({"doses.treated.0.missed_last=1"});
  const std::vector<SettableParameter> params = settable_parameters(s);
  const auto find = [&](const std::string& path) -> const SettableParameter& {
    for (const SettableParameter& p : params)
      if (p.path == path) return p;
    FAIL("not listed: " << path);
    throw;
  };
  CHECK(find("naltrexone.half_life").unit == "h");
  CHECK(find("naltrexone.clearance").unit == "L/h");
  CHECK(find("naltrexone.elimination_rate").unit == "/h");
  CHECK(find("6-beta-naltrexol.partition").unit.empty());
  CHECK(find("naltrexone-oral-50mg.gut.transit[0]").unit == "/h");
  CHECK(find("doses.treated.0.amount").value == "50");
  CHECK(find("doses.treated.0.amount").unit == "mg");
  CHECK(find("doses.treated.1.time").value == "30");
  CHECK(find("doses.treated.0.missed_last").value == "1");
  const std::string table = describe_settable_parameters(s);
  CHECK_THAT(table, Catch::Contains("doses.treated.1.time") && Catch::Contains("heroin.kon"));
}

TEST_CASE("every listed path, moved, sets the model a sweep sets as --set does",
          "[config][set][sweep]") {
  // The one vocabulary: the setter a sweep or population resolves a listed path to writes
  // the ScenarioSpec that --set of the same value (the TOML reread) gives, for every path of
  // every shipped scenario, including the alternatives that derive other numbers (central
  // volume under a written clearance or peripheral Q, koff and hill under a written ki, a
  // phase fraction beside a "rest" phase).
  std::vector<fs::path> configs;
  for (const char* dir :
       {"configs/demo", "configs/reference", "configs/calibration/scenarios", "configs/sweeps"})
    for (const auto& e : fs::directory_iterator(kSource / dir)) {
      const std::string text = text_of(e.path());
      if (e.path().extension() == ".toml" && text.find("[population]") == std::string::npos &&
          text.find("[sweep]") == std::string::npos)
        configs.push_back(e.path());
    }
  std::size_t checked = 0, refused = 0;
  for (const fs::path& config : configs) {
    const ScenarioSpec base = load_scenario_file(config.string());
    const std::vector<SettablePath> paths = settable_paths(base);
    REQUIRE(paths.size() == settable_parameters(base).size());
    for (const SettablePath& p : paths) {
      const double now = p.get(base);
      const double moved = p.is_count() ? now + 1 : now == 0.0 ? 0.1 : now * 0.9;
      const std::string unit = p.is_count() ? "" : p.dimension().internal_unit();
      const std::string set =
          p.path() + "=" + format_number(moved) + (unit.empty() ? "" : " " + unit);
      INFO(config.filename().string() << ": --set '" << set << "'");
      ScenarioSpec by_set;
      try {
        by_set = load_scenario_file(config.string(), {set});
      } catch (const ConfigError&) {
        ++refused;  // e.g. the only phase's fraction below 1: --set refuses, as validate would
        continue;
      }
      ScenarioSpec by_setter = base;
      SettablePath(base, p.path()).set(by_setter, moved);
      const std::vector<double> want = numbers(by_set), got = numbers(by_setter);
      REQUIRE(got.size() == want.size());
      double worst = 0.0;
      for (std::size_t i = 0; i < got.size(); ++i) worst = std::max(worst, rel(got[i], want[i]));
      CHECK(worst <= 1e-12);
      CHECK(numbers(by_setter) != numbers(base));
      ++checked;
    }
  }
  CHECK(checked > 300);
  CHECK(refused < checked / 10);
}

TEST_CASE("a path outside the vocabulary is refused with its reason", "[config][set]") {
  const ScenarioSpec s = load();
  const auto why = [&](const std::string& path) {
    try {
      SettablePath(s, path);
    } catch (const UnknownSettablePath& e) {
      CHECK_THAT(e.what(), Catch::Contains("allowed:") && Catch::Contains("show --params"));
      return e.why();
    }
    FAIL("accepted: " << path);
    throw;
  };
  CHECK_THAT(why("naltrexone.kofff"),
             Catch::Contains("no parameter 'kofff'") && Catch::Contains("did you mean 'koff'"));
  CHECK_THAT(why("naltrexone.brain_partition"), Catch::Contains("now called 'partition'"));
  CHECK_THAT(why("naltrexone.k_elim"), Catch::Contains("now called 'elimination_rate'"));
  CHECK_THAT(why("naltrexone.peripheral[0].volume"), Catch::Contains("with k12 and k21"));
  CHECK_THAT(why("naltrexone-oral-50mg.gut.transit[3]"),
             Catch::Contains("transit[0] to transit[0]"));
  CHECK_THAT(why("naltrexone-oral-50mg.gut.rate"), Catch::Contains("'gut.transit[0]'"));
  CHECK_THAT(why("naltrexon.koff"), Catch::Contains("did you mean 'naltrexone.koff'"));
  // Listed paths are accepted; the counts are marked as such.
  CHECK(SettablePath(s, "doses.treated.0.missed_last").is_count());
  CHECK(SettablePath(s, "naltrexone.peripheral[0].k12").dimension().internal_unit() == "/h");
  CHECK(SettablePath(s, "receptor.transducer_slope").get(s) == s.receptor.transducer_slope);
}
