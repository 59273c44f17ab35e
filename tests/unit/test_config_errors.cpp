// Every kind of config mistake gives one ConfigError naming file, line, key and the fix.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <string>

#include "config/load_scenario.hpp"
#include "model/errors.hpp"

using namespace morsim;
namespace fs = std::filesystem;

namespace {
const fs::path kBad = fs::path(MORSIM_TEST_DATA_DIR) / "bad";

// The line of the "# ERROR" marker, so the files can be edited without renumbering tests.
int marked_line(const fs::path& file) {
  std::ifstream in(file);
  std::string line;
  for (int n = 1; std::getline(in, line); ++n)
    if (line.find("# ERROR") != std::string::npos) return n;
  return -1;
}

struct Expected {
  const char* file;
  const char* key;
  std::vector<const char*> message_parts;
};

ConfigError load_error(const fs::path& path, const std::vector<std::string>& overrides = {}) {
  try {
    load_scenario_file(path.string(), overrides);
  } catch (const ConfigError& e) {
    return e;
  }
  FAIL("no ConfigError for " << path);
  throw std::logic_error("unreachable");
}
}  // namespace

TEST_CASE("each bad config names file, line, key and what is allowed", "[config]") {
  const std::vector<Expected> cases{
      {"unknown-key.toml",
       "output.stpe",
       {"unknown key 'stpe'", "did you mean 'step'", "allowed: start, end, step"}},
      {"missing-key.toml", "output.end", {"missing", "required"}},
      {"wrong-type.toml", "arm[0].dose[0].addl", {"expected an integer", "string"}},
      {"negative-volume.toml", "drug.pk.central_volume", {"got -5 L", "volume > 0"}},
      {"zero-rate.toml", "slow-heroin.phase[0].transit[0]", {"got 0 /h", "> 0"}},
      {"fraction-range.toml", "super-heroin.phase[0].fraction", {"got 1.2", "[0, 1]"}},
      {"unknown-unit.toml",
       "arm[0].dose[0].amount",
       {"unknown unit 'mgg'", "allowed for mass: g, mg"}},
      {"wrong-dimension.toml", "arm[0].dose[0].time", {"'mg' is mass, not time", "h, min, s, d"}},
      {"undefined-formulation.toml",
       "arm[0].dose[0].formulation",
       {"unknown formulation 'heroin-ivv'", "did you mean 'heroin-iv'"}},
      {"dose-after-end.toml", "arm[0].dose[0].time", {"last dose (36 h)", "after the end", "24 h"}},
      {"metabolite-loop.toml",
       "beta.pk.metabolites[0].compound",
       {"loops", "alpha -> beta -> alpha"}},
      {"not-toml.toml", "(syntax)", {"not valid TOML"}},
      {"unknown-use.toml",
       "scenario.use[0]",
       {"no compound or formulation named 'naltrexon'", "did you mean 'naltrexone'"}},
      {"bad-override.toml", "naltrexone.brain.ke0", {"'L' is volume", "rate"}},
      {"binding-without-brain.toml", "drug.brain.ke0", {"needs [brain] ke0"}},
      {"atol-occupancy-dopri5.toml",
       "solver.atol_occupancy",
       {"needs method = \"rosenbrock4\"", "dopri5"}},
      // Values that used to run and give nonsense, or fail only at run time.
      {"rtol-range.toml", "solver.rtol", {"got 10", "allowed: 1e-14 to 0.1"}},
      {"atol-range.toml", "solver.atol", {"got 1e+308", "allowed: 1e-20 to 0.01"}},
      {"step-too-fine.toml", "output.step", {"samples per arm", "at most 1e+09"}},
      {"amount-huge.toml", "arm[0].dose[0].amount", {"got 1e+308 mg", "up to 1e+06 mg"}},
      {"addl-huge.toml", "arm[0].dose[0].addl", {"got 100000000", "0 to 1000000"}},
      // Shapes that would exhaust the TOML parser's recursion: refused before it runs.
      {"long-key.toml", "(syntax)", {"more than 64 dotted parts"}},
      {"deep-nesting.toml", "(syntax)", {"nest deeper than 64 levels"}},
  };
  for (const Expected& c : cases) {
    const fs::path file = kBad / c.file;
    INFO(c.file);
    const ConfigError e = load_error(file);
    INFO(e.what());
    CHECK(e.file() == file.string());
    CHECK(e.line() == marked_line(file));
    CHECK(e.key() == c.key);
    for (const char* part : c.message_parts)
      CHECK(std::string(e.what()).find(part) != std::string::npos);
  }
}

TEST_CASE("a dotted key of 50,000 parts is refused, not a stack overflow", "[config]") {
  std::string key = "a";
  for (int i = 0; i < 50000; ++i) key += ".a";
  try {
    load_scenario_text(key + " = 1\n", "long.toml", EmbeddedLibrary());
    FAIL("no ConfigError");
  } catch (const ConfigError& e) {
    CHECK(e.line() == 1);
    CHECK(std::string(e.what()).find("dotted parts") != std::string::npos);
  }
  // Dots in values (numbers, arrays of them, strings) are not key parts.
  std::string values = "[scenario]\nname = \"x.y.z\"\nv = [";
  for (int i = 0; i < 200; ++i) values += "1.5, ";
  values += "2.5]\n";
  try {
    load_scenario_text(values, "values.toml", EmbeddedLibrary());
  } catch (const ConfigError& e) {
    CHECK(std::string(e.what()).find("dotted parts") == std::string::npos);
  }
}

TEST_CASE("a missing config file is a ConfigError", "[config]") {
  const ConfigError e = load_error(kBad / "no-such-file.toml");
  CHECK(e.file() == (kBad / "no-such-file.toml").string());
  CHECK(e.key() == "(file)");
  CHECK(std::string(e.what()).find("no such file") != std::string::npos);
}

TEST_CASE("command-line overrides are checked like file values", "[config]") {
  const fs::path ok = fs::path(MORSIM_SOURCE_DIR) / "configs/demo/oral-blockade.toml";
  SECTION("unknown path, with a suggestion") {
    const ConfigError e = load_error(ok, {"naltrexone.ke1=2 /h"});
    CHECK(e.file() == "command line");
    CHECK(e.key() == "naltrexone.ke1");
    CHECK(std::string(e.what()).find("did you mean 'naltrexone.ke0'") != std::string::npos);
  }
  SECTION("wrong dimension") {
    const ConfigError e = load_error(ok, {"heroin.koff=3 L"});
    CHECK(e.file() == "command line");
    CHECK(e.key() == "heroin.binding.koff");
    CHECK(std::string(e.what()).find("heroin.koff=3 L") == std::string::npos);  // key, not text
  }
  SECTION("not path=value") {
    const ConfigError e = load_error(ok, {"naltrexone.ke0"});
    CHECK(std::string(e.what()).find("path=value") != std::string::npos);
  }
  SECTION("F out of range") {
    const ConfigError e = load_error(ok, {"naltrexone-oral-50mg.bioavailability=-0.5"});
    CHECK(e.key() == "naltrexone-oral-50mg.bioavailability");
    CHECK(std::string(e.what()).find(">= 0") != std::string::npos);
  }
}

TEST_CASE("validate() catches what a spec built in code gets wrong", "[config]") {
  ScenarioSpec s = load_scenario_file(
      (fs::path(MORSIM_SOURCE_DIR) / "configs/reference/ref-v1-control.toml").string());
  REQUIRE_NOTHROW(validate(s));
  SECTION("loop") {
    s.compounds[2].metabolites.push_back({"heroin", 0.5});
    CHECK_THROWS_WITH(validate(s), Catch::Contains("loops"));
  }
  SECTION("negative volume") {
    s.compounds[0].central_volume_L = -1.0;
    CHECK_THROWS_AS(validate(s), ModelError);
  }
  SECTION("NaN rate") {
    s.compounds[0].k_elim_per_h = std::nan("");
    CHECK_THROWS_AS(validate(s), ModelError);
  }
  SECTION("dose after the end") {
    s.arms[0].doses[0].time_h = 100.0;
    CHECK_THROWS_WITH(validate(s), Catch::Contains("after the end"));
  }
  SECTION("unknown formulation") {
    s.arms[0].doses[0].formulation = "nothing";
    CHECK_THROWS_WITH(validate(s), Catch::Contains("unknown formulation"));
  }
  SECTION("phase fractions") {
    s.formulations[2].phases[0].fraction = 0.5;
    CHECK_THROWS_WITH(validate(s), Catch::Contains("sum"));
  }
}
