// Shipped configs and models load, carry sources, and ref-v1 is expressed exactly.
#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "config/load_scenario.hpp"
#include "model/errors.hpp"
#include "population/population_spec.hpp"
#include "resources/resources.hpp"
#include "support/spec_lookup.hpp"

using namespace morsim;
namespace fs = std::filesystem;

using testing::compound;
using testing::formulation;

namespace {
const fs::path kSource = MORSIM_SOURCE_DIR;
constexpr double kRel = 1e-12;  // values are typed decimals times exact unit factors

// Scenario configs under `dir`; sweep files ([sweep] table, sim/sweep's format) and fit files
// ([fit] table, sim/fit's format; tested by tests/python/test_calibration.py) are skipped.
std::vector<fs::path> tomls(const fs::path& dir) {
  std::vector<fs::path> out;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (e.path().extension() != ".toml") continue;
    std::ifstream in(e.path());
    const std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    const auto has_table = [&text](const std::string& header) {
      return text.find("\n" + header) != std::string::npos || text.rfind(header, 0) == 0;
    };
    if (!has_table("[sweep]") && !has_table("[fit]")) out.push_back(e.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

// A scenario that pulls in every model file of the library.
std::string everything_scenario(const ModelLibrary& lib) {
  std::string use;
  for (const std::string& n : lib.names("compounds")) use += "\"" + n + "\", ";
  for (const std::string& n : lib.names("formulations")) use += "\"" + n + "\", ";
  return "[scenario]\nname = \"all\"\nuse = [" + use +
         "]\n[output]\nend = \"1 h\"\n"
         "[[arm]]\nname = \"a\"\n";
}
}  // namespace

TEST_CASE("every shipped config loads and validates", "[config]") {
  const auto files = tomls(kSource / "configs");
  REQUIRE(files.size() >= 6);
  for (const fs::path& f : files) {
    INFO(f.string());
    std::ifstream in(f);
    const std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    // Population configs are scenarios plus [population] tables, read by their own loader.
    const ScenarioSpec spec = population::is_population_config(text)
                                  ? population::load_population_file(f.string()).scenario
                                  : load_scenario_file(f.string());
    CHECK_NOTHROW(validate(spec));
    CHECK(!spec.arms.empty());
    CHECK(!spec.config_text.empty());
    CHECK(!describe_model(spec).empty());
  }
}

TEST_CASE("the resolved config text reloads to the same model", "[config]") {
  const ScenarioSpec a = load_scenario_file((kSource / "configs/demo/depot-blockade.toml").string(),
                                            {"naltrexone.ke0=1.5 /h"});
  const ScenarioSpec b = load_scenario_text(a.config_text, "as-run.toml", EmbeddedLibrary());
  REQUIRE(b.compounds.size() == a.compounds.size());
  for (std::size_t i = 0; i < a.compounds.size(); ++i) {
    CHECK(b.compounds[i].name == a.compounds[i].name);
    CHECK(b.compounds[i].k_elim_per_h == a.compounds[i].k_elim_per_h);
    CHECK(b.compounds[i].ke0_per_h == a.compounds[i].ke0_per_h);
  }
  CHECK(compound(b, "naltrexone").ke0_per_h == 1.5);
}

TEST_CASE("every value in models/ carries a source", "[config]") {
  const DirectoryLibrary lib(kSource / "models");
  CHECK(lib.names("compounds").size() >= 9);
  CHECK(lib.names("formulations").size() >= 8);
  const ScenarioSpec spec = load_scenario_text(everything_scenario(lib), "all.toml", lib);
  CHECK(spec.compounds.size() == lib.names("compounds").size());
  REQUIRE(!spec.sources.empty());
  for (const ParameterSource& p : spec.sources) {
    INFO(p.path << " = " << p.value);
    CHECK(!p.source.empty());
    CHECK((p.source.rfind("primary:", 0) == 0 || p.source.rfind("secondary:", 0) == 0 ||
           p.source.rfind("fit:", 0) == 0 || p.source.rfind("estimate:", 0) == 0));
  }
}

TEST_CASE("the built-in models are the ones in models/", "[config]") {
  const DirectoryLibrary dir(kSource / "models");
  const EmbeddedLibrary embedded;
  CHECK(embedded.names("compounds") == dir.names("compounds"));
  CHECK(embedded.names("formulations") == dir.names("formulations"));
  const ScenarioSpec spec = load_scenario_text(everything_scenario(embedded), "all.toml", embedded);
  CHECK(spec.compounds.size() == dir.names("compounds").size());
  const char* demo = find_resource("configs/demo/oral-blockade.toml");
  REQUIRE(demo != nullptr);
  CHECK(load_scenario_text(demo, "oral-blockade.toml", embedded).arms.size() == 2);
}

TEST_CASE("models convert to internal units", "[config]") {
  const ScenarioSpec s = load_scenario_file((kSource / "configs/demo/oral-blockade.toml").string());
  const Compound& h = compound(s, "heroin");
  CHECK(h.k_elim_per_h == Approx(std::log(2.0) / 0.05).epsilon(kRel));             // t1/2 3 min
  CHECK(h.binding.kon_per_nM_n_per_h == Approx(0.3 * 3600 / 1000).epsilon(kRel));  // koff/Ki
  const Compound& n = compound(s, "naltrexone");
  CHECK(n.k_elim_per_h == Approx(67.28 / 318.4).epsilon(kRel));  // CL / V
  CHECK(n.binding.koff_per_h == Approx(21.0).epsilon(kRel));
  REQUIRE(n.peripherals.size() == 1);
  const Formulation& f = formulation(s, "naltrexone-oral-50mg");
  CHECK(f.dosed_molar_mass_g_per_mol == 377.86);
  REQUIRE(f.first_pass.size() == 1);
  CHECK(f.first_pass[0].metabolite == "6-beta-naltrexol");
  // Metabolites come right after their parent, in the order of `use`.
  std::vector<std::string> names;
  for (const Compound& c : s.compounds) names.push_back(c.name);
  CHECK(names ==
        std::vector<std::string>{"heroin", "6-MAM", "morphine", "naltrexone", "6-beta-naltrexol"});
  const Arm& arm = s.arms[1];
  CHECK(arm.doses[0].addl == 8);
  CHECK(arm.doses[0].missed == std::vector<int>{7, 8});
  const Compound& naloxone = [] {
    static const ScenarioSpec all = load_scenario_text(
        "[scenario]\nname='x'\nuse=['naloxone']\n[output]\nend='1 h'\n[[arm]]\nname='a'\n",
        "x.toml", DirectoryLibrary(kSource / "models"));
    return *all.find_compound("naloxone");
  }();
  CHECK(naloxone.binding.hill_n == 0.858);
  CHECK(naloxone.binding.kon_per_nM_n_per_h ==
        Approx(1.669e-4 * 3600 * std::pow(1000.0, 0.858)).epsilon(kRel));
  CHECK(naloxone.k_elim_per_h == Approx(3.84 * 60 / 34.44).epsilon(kRel));
  REQUIRE(naloxone.peripherals.size() == 2);
  CHECK(naloxone.peripherals[0].k_in_per_h == Approx(3.93 * 60 / 70.15).epsilon(kRel));
}

TEST_CASE("overrides from the command line and the [overrides] table", "[config]") {
  const std::string text = R"(
[scenario]
name = "o"
use = ["naltrexone-oral-50mg", "naltrexone-depot-380mg"]
[overrides]
"naltrexone.ke0" = "1.5 /h"
"naltrexone-depot-380mg.burst.fraction" = 0.05
"naltrexone-depot-380mg.erosion.fraction" = 0.83
naltrexone.clearance = "3.5 L/min"
[output]
end = "1 d"
[[arm]]
name = "a"
)";
  const DirectoryLibrary lib(kSource / "models");
  const ScenarioSpec s = load_scenario_text(
      text, "o.toml", lib,
      {"6-beta-naltrexol.partition=0.2", "naltrexone-oral-50mg.gut.transit=[\"2 /h\"]"});
  const Compound& n = compound(s, "naltrexone");
  CHECK(n.ke0_per_h == 1.5);
  CHECK(n.k_elim_per_h == Approx(210.0 / 318.4).epsilon(kRel));  // 3.5 L/min / V
  CHECK(compound(s, "6-beta-naltrexol").brain_partition == 0.2);
  CHECK(formulation(s, "naltrexone-depot-380mg").phases[0].fraction == 0.05);
  CHECK(formulation(s, "naltrexone-oral-50mg").phases[0].transit_rates_per_h ==
        std::vector<double>{2.0});
  int overridden = 0;
  for (const ParameterSource& p : s.sources)
    if (p.overridden) {
      ++overridden;
      CHECK(p.source.find("override") != std::string::npos);
    }
  CHECK(overridden == 6);
  const std::string shown = describe_model(s);
  CHECK(shown.find("* naltrexone.ke0 = 1.5 /h") != std::string::npos);
  CHECK(shown.find("dCe_naltrexone/dt = ke0 * (Kp * C_naltrexone - Ce_naltrexone)") !=
        std::string::npos);
}

TEST_CASE("ref-v1 configs hold exactly the reference model's numbers", "[config]") {
  struct Ref {
    const char* name;
    double mw, v, k, ke0, kon, koff;
  };
  const Ref refs[] = {{"heroin", 369.41, 140, 13.9, 10, 12, 60},
                      {"6-MAM", 327.37, 300, 2.3, 6, 30, 30},
                      {"morphine", 285.34, 250, 0.28, 0.25, 16.7, 20},
                      {"naltrexone", 341.41, 1350, 0.17, 2, 6, 1.2},
                      {"6-beta-naltrexol", 343.42, 1000, 0.053, 0.5, 3, 6}};
  for (const char* variant : {"depot", "oral", "control"}) {
    INFO(variant);
    const ScenarioSpec s = load_scenario_file(
        (kSource / "configs/reference" / (std::string("ref-v1-") + variant + ".toml")).string());
    REQUIRE(s.compounds.size() == 5);
    for (std::size_t i = 0; i < 5; ++i) {
      const Compound& c = s.compounds[i];
      INFO(c.name);
      CHECK(c.name == refs[i].name);
      CHECK(c.molar_mass_g_per_mol == refs[i].mw);
      CHECK(c.central_volume_L == refs[i].v);
      CHECK(c.k_elim_per_h == refs[i].k);
      CHECK(c.ke0_per_h == refs[i].ke0);
      CHECK(c.binding.kon_per_nM_n_per_h == refs[i].kon);
      CHECK(c.binding.koff_per_h == refs[i].koff);
      CHECK(c.binding.hill_n == 1.0);
      CHECK(c.brain_partition == 1.0);
      CHECK(c.peripherals.empty());
      CHECK(c.binds_receptor);
      CHECK(c.is_agonist() == (i < 3));
    }
    const auto link = [&](const char* p) { return compound(s, p).metabolites; };
    REQUIRE(link("heroin").size() == 1);
    CHECK((link("heroin")[0].metabolite == "6-MAM" && link("heroin")[0].fraction == 1.0));
    CHECK((link("6-MAM")[0].metabolite == "morphine" && link("6-MAM")[0].fraction == 1.0));
    CHECK((link("naltrexone")[0].metabolite == "6-beta-naltrexol" &&
           link("naltrexone")[0].fraction == 0.9));
    CHECK(link("morphine").empty());
    CHECK(link("6-beta-naltrexol").empty());

    const Formulation& oral = formulation(s, "ref-naltrexone-oral");
    CHECK(oral.bioavailability == 0.2);
    CHECK(oral.dosed_molar_mass_g_per_mol == 0.0);
    REQUIRE(oral.first_pass.size() == 1);
    CHECK(oral.first_pass[0].fraction == 0.8);
    REQUIRE(oral.phases.size() == 1);
    CHECK(oral.phases[0].transit_rates_per_h == std::vector<double>{1.2});
    const Formulation& depot = formulation(s, "ref-naltrexone-depot");
    CHECK(depot.bioavailability == 1.0);
    REQUIRE(depot.phases.size() == 2);
    CHECK(depot.phases[0].fraction == 0.05);
    CHECK(depot.phases[0].transit_rates_per_h == std::vector<double>{0.5});
    CHECK(depot.phases[1].fraction == 0.95);
    CHECK(depot.phases[1].transit_rates_per_h == std::vector<double>{0.0044});
    const Formulation& iv = formulation(s, "ref-heroin-iv");
    REQUIRE(iv.phases.size() == 1);
    CHECK(iv.phases[0].transit_rates_per_h.empty());
    CHECK(iv.phases[0].lag_h == 0.0);

    CHECK(s.receptor.mode == BindingMode::kKinetic);
    CHECK(s.grid.t_start_h == 0.0);
    CHECK(s.grid.dt_h == 0.1);
    CHECK(s.solver.rtol == SolverOptions{}.rtol);
    REQUIRE(s.arms.size() == 1);
  }
  const auto doses = [](const ScenarioSpec& s) {
    std::vector<std::pair<std::string, double>> out;  // formulation, time (mg checked below)
    for (const DoseRecord& d : s.arms[0].doses)
      for (int i = 0; i <= d.addl; ++i) {
        out.emplace_back(d.formulation, d.time_h + i * d.ii_h);
        CHECK(d.amount_mg == (d.formulation == "ref-heroin-iv"         ? 25.0
                              : d.formulation == "ref-naltrexone-oral" ? 50.0
                                                                       : 380.0));
      }
    return out;
  };
  const auto load = [](const char* v) {
    return load_scenario_file((kSource / "configs/reference" / v).string());
  };
  const ScenarioSpec depot = load("ref-v1-depot.toml");
  CHECK(depot.grid.t_end_h == 720.0);
  CHECK(depot.grid.times_h().size() == 7201);
  CHECK(doses(depot) == std::vector<std::pair<std::string, double>>{{"ref-naltrexone-depot", 0},
                                                                    {"ref-heroin-iv", 24},
                                                                    {"ref-heroin-iv", 168},
                                                                    {"ref-heroin-iv", 336},
                                                                    {"ref-heroin-iv", 504},
                                                                    {"ref-heroin-iv", 672}});
  const ScenarioSpec oral = load("ref-v1-oral.toml");
  CHECK(oral.grid.t_end_h == 240.0);
  std::vector<std::pair<std::string, double>> want;
  for (int i = 0; i < 7; ++i) want.emplace_back("ref-naltrexone-oral", 24.0 * i);
  for (double t : {26, 74, 170, 218}) want.emplace_back("ref-heroin-iv", t);
  CHECK(doses(oral) == want);
  const ScenarioSpec control = load("ref-v1-control.toml");
  CHECK(control.grid.t_end_h == 72.0);
  CHECK(doses(control) == std::vector<std::pair<std::string, double>>{{"ref-heroin-iv", 24}});
}

TEST_CASE("output grid includes the end when it lands on the grid", "[config]") {
  OutputGrid g{0.0, 720.0, 0.1};
  const auto t = g.times_h();
  REQUIRE(t.size() == 7201);
  CHECK(t.back() == 720.0);
  CHECK(t[3] == 0.30000000000000004);  // i * dt, not accumulated
  CHECK(OutputGrid{0.0, 1.05, 0.1}.times_h().size() == 11);
  CHECK(OutputGrid{1.0, 2.0, 0.25}.times_h() == std::vector<double>{1.0, 1.25, 1.5, 1.75, 2.0});
  CHECK(std::string(to_string(DoseStatus::kLate)) == "late");
  CHECK(std::string(to_string(DoseStatus::kMissed)) == "missed");
  CHECK(std::string(to_string(DoseStatus::kTaken)) == "taken");
}

TEST_CASE("a phase with fraction = \"rest\" takes what the other phases leave", "[config]") {
  const std::string text = R"(
[scenario]
name = "rest"
use = ["naltrexone"]
[[formulation]]
name = "depot"
compound = "naltrexone"
route = "im-depot"
[[formulation.phase]]
name = "fast"
fraction = 0.25
[[formulation.phase]]
name = "slow"
fraction = { value = "rest", source = "the remainder" }
transit = ["0.01 /h"]
[output]
end = "1 d"
[[arm]]
name = "a"
)";
  const DirectoryLibrary lib(kSource / "models");
  const ScenarioSpec s = load_scenario_text(text, "rest.toml", lib);
  CHECK(formulation(s, "depot").phases[1].fraction == Approx(0.75).epsilon(kRel));
  // Moving the other phase by an override moves the rest with it.
  const ScenarioSpec moved =
      load_scenario_text(text, "rest.toml", lib, {"depot.fast.fraction=0.4"});
  CHECK(formulation(moved, "depot").phases[1].fraction == Approx(0.6).epsilon(kRel));
  // Nothing left, or two rests: refused with the key named.
  try {
    load_scenario_text(text, "rest.toml", lib, {"depot.fast.fraction=1.5"});
    FAIL("a fraction above 1 was accepted");
  } catch (const ConfigError& e) {
    CHECK(std::string(e.what()).find("fraction") != std::string::npos);
  }
  std::string two = text;
  two.replace(two.find("fraction = 0.25"), 15, "fraction = \"rest\"");
  try {
    load_scenario_text(two, "rest.toml", lib);
    FAIL("two rest phases were accepted");
  } catch (const ConfigError& e) {
    CHECK(std::string(e.what()).find("a second phase with fraction \"rest\"") != std::string::npos);
    CHECK(e.key() == "depot.phase[1].fraction");
  }
}
