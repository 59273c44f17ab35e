// NONMEM's dose-record items in morsim (docs/config.md): F as a dose multiplier, resets
// (EVID 3/4), steady state after earlier doses (SS 1) and added (SS 2), steady-state constant
// infusions (SS 1 with AMT 0, RATE > 0) and overlapping steady-state infusions, each checked
// against the closed form of a one-compartment model.
#include <catch2/catch.hpp>
#include <cmath>
#include <functional>
#include <iostream>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

#include "config/load_scenario.hpp"
#include "model/errors.hpp"
#include "pk/dose_schedule.hpp"
#include "solver/simulate.hpp"
#include "support/simple_models.hpp"

using namespace morsim;
using namespace morsim::testing;

namespace {

constexpr double kV = 10.0;  // L
constexpr double kK = 0.2;   // /h

DoseRecord bolus(const std::string& f, double mg, double t_h, int addl = 0, double ii_h = 0.0) {
  DoseRecord d;
  d.formulation = f;
  d.amount_mg = mg;
  d.time_h = t_h;
  d.addl = addl;
  d.ii_h = ii_h;
  return d;
}

ScenarioSpec drug(std::vector<DoseRecord> doses, double t_end_h, double f = 1.0,
                  double dt_h = 0.5) {
  return one_arm(
      {simple_compound("drug", kV, kK)},
      {simple_formulation("iv", "drug", {}, f), simple_formulation("oral", "drug", {1.5}, 0.6)},
      std::move(doses), t_end_h, dt_h);
}

// Every sample of the arm against `expected(t)` (nM); `from`/`to` select the samples checked.
void check_curve(const ScenarioSpec& spec, const std::function<double(double)>& expected,
                 double from = 0.0, double to = std::numeric_limits<double>::infinity()) {
  const Trajectory tr = simulate(spec).at(0);
  int checked = 0;
  for (std::size_t i = 0; i < tr.t_h.size(); ++i) {
    const double t = tr.t_h[i];
    if (t < from || t > to) continue;
    INFO("t = " << t << " h");
    CHECK(tr.plasma_nM[i] == Approx(expected(t)).epsilon(1e-6).margin(1e-9));
    ++checked;
  }
  CHECK(checked > 5);
}

double bolus_c(double mg, double dt) { return dt < 0 ? 0.0 : mg / kV * std::exp(-kK * dt); }

// A zero-order input of `mg` over `dur` started `s` hours ago.
double infusion_c(double mg, double dur, double s) {
  if (s <= 0) return 0.0;
  const double r = mg / dur;
  if (s <= dur) return r / (kK * kV) * (1 - std::exp(-kK * s));
  return r / (kK * kV) * (1 - std::exp(-kK * dur)) * std::exp(-kK * (s - dur));
}

}  // namespace

TEST_CASE("closed forms: bolus, infusion, first-order absorption (Bateman)", "[nonmem]") {
  SECTION("bolus: C = D/V e^{-kt}") {
    check_curve(drug({bolus("iv", 100, 0)}, 24), [](double t) { return bolus_c(100, t); });
  }
  SECTION("infusion over 5 h") {
    DoseRecord d = bolus("iv", 100, 0);
    d.duration_h = 5;
    check_curve(drug({d}, 24), [](double t) { return infusion_c(100, 5, t); });
  }
  SECTION("oral: F D ka / (V (ka - k)) (e^{-kt} - e^{-ka t})") {
    check_curve(drug({bolus("oral", 100, 0)}, 24), [](double t) {
      const double ka = 1.5;
      return 0.6 * 100 * ka / (kV * (ka - kK)) * (std::exp(-kK * t) - std::exp(-ka * t));
    });
  }
}

TEST_CASE("F above 1 multiplies the dose exactly", "[nonmem]") {
  const Trajectory one = simulate(drug({bolus("iv", 100, 0), bolus("iv", 30, 7)}, 24)).at(0);
  const Trajectory more = simulate(drug({bolus("iv", 100, 0), bolus("iv", 30, 7)}, 24, 2.23)).at(0);
  REQUIRE(one.t_h.size() == more.t_h.size());
  for (std::size_t i = 0; i < one.t_h.size(); ++i)
    CHECK(more.plasma_nM[i] == Approx(2.23 * one.plasma_nM[i]).epsilon(1e-7).margin(1e-10));
  check_curve(drug({bolus("iv", 100, 0)}, 24, 2.23),
              [](double t) { return 2.23 * bolus_c(100, t); });
}

TEST_CASE("reset: EVID 3 zeroes the state, EVID 4 then doses", "[nonmem]") {
  SECTION("EVID 3: zero from the reset on; the earlier doses stay in the log") {
    DoseRecord r;
    r.reset = true;
    r.time_h = 10;
    const ScenarioSpec spec = drug({bolus("iv", 100, 0), r}, 24);
    check_curve(spec, [](double t) { return t < 10 ? bolus_c(100, t) : 0.0; });
    CHECK(simulate(spec).at(0).doses.size() == 1);
  }
  SECTION("EVID 4: reset, then the fresh dose") {
    DoseRecord r = bolus("iv", 40, 10);
    r.reset = true;
    check_curve(
        drug({bolus("iv", 100, 0, 2, 4), r}, 24),
        [](double t) { return t < 10 ? 0.0 : bolus_c(40, t - 10); }, 10.0);
  }
  SECTION("a reset stops an infusion in progress and drops lagged inputs still to come") {
    DoseRecord inf = bolus("iv", 100, 0);
    inf.duration_h = 20;
    DoseRecord r;
    r.reset = true;
    r.time_h = 10;
    check_curve(drug({inf, r, bolus("iv", 50, 15)}, 24),
                [](double t) { return t < 10 ? infusion_c(100, 20, t) : bolus_c(50, t - 15); });
  }
  SECTION("at one time, a reset after a dose in record order wipes that dose") {
    DoseRecord r;
    r.reset = true;
    r.time_h = 10;
    check_curve(
        drug({bolus("iv", 100, 10), r, bolus("iv", 20, 10)}, 24),
        [](double t) { return bolus_c(20, t - 10); }, 10.0);
  }
}

TEST_CASE("SS 1 after earlier doses and SS 2 added to the state", "[nonmem]") {
  const double tau = 12, t0 = 30;
  const auto css = [&](double t) {  // bolus steady state, 50 mg every tau, last dose at t0
    const double s = std::fmod(t - t0, tau);
    return 50 / kV * std::exp(-kK * s) / (1 - std::exp(-kK * tau));
  };
  DoseRecord ss = bolus("iv", 50, t0, 3, tau);
  ss.steady_state = true;
  SECTION("SS 1: C_ss(t) = D/V e^{-k(t - t_dose)} / (1 - e^{-k tau}); earlier doses forgotten") {
    check_curve(drug({bolus("iv", 100, 0), ss}, 72),
                [&](double t) { return t < t0 ? bolus_c(100, t) : css(t); });
  }
  SECTION("SS 2: the current state plus that steady state") {
    ss.steady_state_add = true;
    check_curve(drug({bolus("iv", 100, 0), ss}, 72),
                [&](double t) { return t < t0 ? bolus_c(100, t) : bolus_c(100, t) + css(t); });
  }
  SECTION("SS 1 at time 0 is the starting state, as before; a reset before it is harmless") {
    DoseRecord s0 = bolus("iv", 50, 0, 5, tau);
    s0.steady_state = true;
    DoseRecord r;
    r.reset = true;
    const auto at_ss = [&](double t) {
      return 50 / kV * std::exp(-kK * std::fmod(t, tau)) / (1 - std::exp(-kK * tau));
    };
    check_curve(drug({s0}, 60), at_ss);
    check_curve(drug({r, s0}, 60), at_ss);
    check_curve(drug({s0, r}, 60), [&](double t) {  // after it: the state and the first dose
      double c = 0;                                 // wiped, the later doses given
      for (int j = 1; j <= 5; ++j) c += bolus_c(50, t - j * tau);
      return c;
    });
  }
}

TEST_CASE("SS 1 constant infusion: AMT 0, RATE > 0", "[nonmem]") {
  DoseRecord c;
  c.formulation = "iv";
  c.time_h = 5;
  c.rate_mg_per_h = 3;
  c.steady_state = true;
  SECTION("iv: C = R / (k V) from its time on") {
    check_curve(drug({bolus("iv", 100, 0), c}, 48),
                [](double t) { return t < 5 ? bolus_c(100, t) : 3 / (kK * kV); });
  }
  SECTION("oral (absorption compartment, F): C = F R / (k V)") {
    c.formulation = "oral";
    check_curve(
        drug({c}, 48), [](double) { return 0.6 * 3 / (kK * kV); }, 5.0);
  }
  SECTION("SS 2: added to the decaying bolus") {
    c.steady_state_add = true;
    check_curve(drug({bolus("iv", 100, 0), c}, 48),
                [](double t) { return t < 5 ? bolus_c(100, t) : bolus_c(100, t) + 3 / (kK * kV); });
  }
  SECTION("with kinetic binding: the solved steady state does not move") {
    ScenarioSpec spec = one_arm({binding_compound("ago", kV, kK, 2.0, 0.5, 3.0, 1.0)},
                                {simple_formulation("iv", "ago")}, {c}, 48, 0.5);
    const Trajectory tr = simulate(spec).at(0);
    for (std::size_t i = 0; i < tr.t_h.size(); ++i)
      if (tr.t_h[i] >= 5) {
        CHECK(tr.plasma_nM[i] == Approx(3 / (kK * kV)).epsilon(1e-7));
        CHECK(tr.occupancy[i] == Approx(tr.occupancy.back()).epsilon(1e-7));
      }
    CHECK(tr.occupancy.back() > 0.1);
  }
}

TEST_CASE("steady state with infusions longer than the interval (overlapping)", "[nonmem]") {
  const double tau = 12, dur = 30, mg = 60;
  // Sum over the doses given k tau before the last, all still infusing or decaying.
  const auto css = [&](double since_dose) {
    double c = 0;
    for (int k = 0; k < 2000; ++k) c += infusion_c(mg, dur, since_dose + k * tau);
    return c;
  };
  SECTION("SS 1 at time 0") {
    DoseRecord d = bolus("iv", mg, 0, 5, tau);
    d.duration_h = dur;
    d.steady_state = true;
    check_curve(drug({d}, 60), [&](double t) { return css(std::fmod(t, tau)); });
  }
  SECTION("SS 1 after an earlier dose") {
    DoseRecord d = bolus("iv", mg, 20, 3, tau);
    d.duration_h = dur;
    d.steady_state = true;
    check_curve(drug({bolus("iv", 100, 0), d}, 56),
                [&](double t) { return t < 20 ? bolus_c(100, t) : css(std::fmod(t - 20, tau)); });
  }
}

TEST_CASE("sweeps' event loop is told what it cannot run", "[nonmem]") {
  DoseRecord r;
  r.reset = true;
  r.time_h = 3;
  const ScenarioSpec spec = drug({bolus("iv", 1, 0), r}, 24);
  CHECK_THROWS_WITH(require_inputs_only(spec.arms[0], "sweep"), Catch::Contains("reset"));
  CHECK_NOTHROW(require_inputs_only(drug({bolus("iv", 1, 0)}, 24).arms[0], "sweep"));
}

namespace {

std::string scenario(const std::string& formulation_extra, const std::string& doses) {
  return R"(
[scenario]
name = "nonmem"
use = ["drug-iv"]
[[compound]]
name = "drug"
molar_mass = "1000000 g/mol"
[compound.pk]
central_volume = "10 L"
elimination_rate = "0.2 /h"
[[formulation]]
name = "drug-iv"
compound = "drug"
route = "iv"
)" + formulation_extra +
         R"(
[[formulation.phase]]
name = "bolus"
fraction = 1
[output]
end = "24 h"
step = "1 h"
[[arm]]
name = "a"
)" + doses;
}

ConfigError load_error(const std::string& text) {
  const EmbeddedLibrary lib;
  try {
    load_scenario_text(text, "nonmem.toml", lib);
  } catch (const ConfigError& e) {
    return e;
  }
  FAIL("expected a ConfigError");
  throw std::logic_error("unreachable");
}

}  // namespace

TEST_CASE("dose records in TOML: reset, steady_state = \"add\", rate, F", "[nonmem][config]") {
  const EmbeddedLibrary lib;
  SECTION("the spellings load") {
    const ScenarioSpec s = load_scenario_text(scenario("", R"(
[[arm.dose]]
formulation = "drug-iv"
amount = "100 mg"
[[arm.dose]]
reset = true
time = "5 h"
[[arm.dose]]
formulation = "drug-iv"
amount = "20 mg"
time = "6 h"
reset = true
[[arm.dose]]
formulation = "drug-iv"
amount = "10 mg"
time = "8 h"
interval = "4 h"
steady_state = "add"
[[arm.dose]]
formulation = "drug-iv"
amount = "10 mg"
rate = "5 mg/h"
time = "9 h"
[[arm.dose]]
formulation = "drug-iv"
rate = "1 mg/h"
steady_state = true
time = "12 h"
)"),
                                              "nonmem.toml", lib);
    const std::vector<DoseRecord>& d = s.arms.at(0).doses;
    REQUIRE(d.size() == 6);
    CHECK((d[1].reset && d[1].formulation.empty() && d[1].time_h == 5.0));
    CHECK((d[2].reset && d[2].amount_mg == 20.0));
    CHECK((d[3].steady_state && d[3].steady_state_add));
    CHECK(d[4].duration_h == Approx(2.0));  // amount / rate
    CHECK((d[5].steady_state && d[5].rate_mg_per_h == 1.0 && d[5].amount_mg == 0.0));
    CHECK_NOTHROW(simulate(s));
  }
  SECTION("F above 1: a warning naming file, line and key") {
    std::ostringstream captured;
    std::streambuf* old = std::cerr.rdbuf(captured.rdbuf());
    ScenarioSpec s;
    try {
      s = load_scenario_text(scenario("bioavailability = 2.23",
                                      "[[arm.dose]]\nformulation = \"drug-iv\"\namount = "
                                      "\"1 mg\"\n"),
                             "nonmem.toml", lib);
    } catch (...) {
      std::cerr.rdbuf(old);
      throw;
    }
    std::cerr.rdbuf(old);
    CHECK(s.find_formulation("drug-iv")->bioavailability == 2.23);
    CHECK_THAT(captured.str(), Catch::Contains("nonmem.toml:") &&
                                   Catch::Contains("drug-iv.bioavailability: warning"));
  }
  SECTION("refusals") {
    CHECK_THAT(load_error(scenario("bioavailability = -0.1", "")).what(), Catch::Contains(">= 0"));
    CHECK_THAT(load_error(scenario("", "[[arm.dose]]\nreset = true\namount = \"1 mg\"\n")).what(),
               Catch::Contains("EVID 3"));
    CHECK_THAT(load_error(scenario("",
                                   "[[arm.dose]]\nformulation = \"drug-iv\"\namount = "
                                   "\"1 mg\"\ninterval = \"4 h\"\nsteady_state = \"yes\"\n"))
                   .what(),
               Catch::Contains("\"add\""));
    CHECK_THAT(
        load_error(scenario("", "[[arm.dose]]\nformulation = \"drug-iv\"\nrate = \"1 mg/h\"\n"))
            .what(),
        Catch::Contains("needs steady_state"));
    CHECK_THAT(load_error(scenario("",
                                   "[[arm.dose]]\nformulation = \"drug-iv\"\nrate = \"1 "
                                   "mg/h\"\nsteady_state = true\naddl = 2\n"))
                   .what(),
               Catch::Contains("addl"));
  }
}
