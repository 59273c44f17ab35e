// Linear PK against closed forms: IV bolus, Bateman absorption, superposition, metabolites,
// infusion, lag, bioavailability and steady state.
#include <catch2/catch.hpp>
#include <cmath>

#include "solver/simulate.hpp"
#include "support/simple_models.hpp"

using namespace morsim;
using namespace morsim::testing;

namespace {

// Solver rtol 1e-9; closed forms are compared at 1e-6 relative with a floor near zero.
constexpr double kRelTol = 1e-6, kAbsTol_nM = 1e-9;

double bateman(double dose, double f, double ka, double k, double v, double t) {
  if (t <= 0.0) return 0.0;
  return f * dose * ka / (v * (ka - k)) * (std::exp(-k * t) - std::exp(-ka * t));
}

Trajectory run(const ScenarioSpec& s) { return simulate(s).front(); }

DoseRecord dose(const std::string& f, double mg, double t, int addl = 0, double ii = 0.0) {
  DoseRecord r;
  r.formulation = f;
  r.amount_mg = mg;
  r.time_h = t;
  r.addl = addl;
  r.ii_h = ii;
  return r;
}

}  // namespace

TEST_CASE("one-compartment IV bolus decays as D/V exp(-k t)", "[pk][closed-form]") {
  const double v = 50, k = 0.3, d = 100;
  auto s = one_arm({simple_compound("drug", v, k)}, {simple_formulation("iv", "drug")},
                   {dose("iv", d, 0)}, 24, 0.25);
  const Trajectory tr = run(s);
  REQUIRE(tr.n_times() == 97);
  for (std::size_t i = 0; i < tr.n_times(); ++i)
    CHECK(tr.plasma(i, 0) ==
          Approx(d / v * std::exp(-k * tr.t_h[i])).epsilon(kRelTol).margin(kAbsTol_nM));
}

TEST_CASE("oral absorption follows the Bateman function with F", "[pk][closed-form]") {
  const double v = 80, k = 0.2, ka = 1.5, f = 0.6, d = 50;
  auto s = one_arm({simple_compound("drug", v, k)}, {simple_formulation("po", "drug", {ka}, f)},
                   {dose("po", d, 0)}, 48, 0.5);
  const Trajectory tr = run(s);
  for (std::size_t i = 0; i < tr.n_times(); ++i)
    CHECK(tr.plasma(i, 0) ==
          Approx(bateman(d, f, ka, k, v, tr.t_h[i])).epsilon(kRelTol).margin(kAbsTol_nM));
}

TEST_CASE("repeated oral doses superpose (ADDL/II)", "[pk][closed-form][dosing]") {
  const double v = 80, k = 0.2, ka = 1.5, f = 0.6, d = 50, ii = 12;
  auto s = one_arm({simple_compound("drug", v, k)}, {simple_formulation("po", "drug", {ka}, f)},
                   {dose("po", d, 0, 4, ii)}, 96, 0.5);
  const Trajectory tr = run(s);
  for (std::size_t i = 0; i < tr.n_times(); ++i) {
    double expected = 0.0;
    for (int n = 0; n <= 4; ++n) expected += bateman(d, f, ka, k, v, tr.t_h[i] - n * ii);
    CHECK(tr.plasma(i, 0) == Approx(expected).epsilon(kRelTol).margin(kAbsTol_nM));
  }
  REQUIRE(tr.doses.size() == 5);
  CHECK(tr.doses[4].applied_time_h == 48.0);
}

TEST_CASE("parent to metabolite with fraction fm", "[pk][closed-form]") {
  const double v1 = 100, k1 = 1.3, v2 = 40, k2 = 0.25, fm = 0.7, d = 200;
  Compound parent = simple_compound("parent", v1, k1);
  parent.metabolites = {{"metab", fm}};
  auto s = one_arm({parent, simple_compound("metab", v2, k2)}, {simple_formulation("iv", "parent")},
                   {dose("iv", d, 0)}, 30, 0.25);
  const Trajectory tr = run(s);
  for (std::size_t i = 0; i < tr.n_times(); ++i) {
    const double t = tr.t_h[i];
    const double am = fm * k1 * d / (k2 - k1) * (std::exp(-k1 * t) - std::exp(-k2 * t));
    CHECK(tr.plasma(i, 1) == Approx(am / v2).epsilon(kRelTol).margin(kAbsTol_nM));
  }
}

TEST_CASE("first-pass metabolite formation from the non-bioavailable part", "[pk][closed-form]") {
  // Gut G feeds F ka G to the parent and (1-F) fpm ka G to the metabolite.
  const double ka = 1.2, f = 0.2, fpm = 0.8, vm = 1000, km = 0.053, d = 100;
  Formulation po = simple_formulation("po", "parent", {ka}, f);
  po.first_pass = {{"metab", fpm}};
  auto s = one_arm({simple_compound("parent", 1350, 0.17), simple_compound("metab", vm, km)}, {po},
                   {dose("po", d, 0)}, 48, 0.5);
  const Trajectory tr = run(s);
  for (std::size_t i = 0; i < tr.n_times(); ++i)
    CHECK(tr.plasma(i, 1) == Approx(bateman(d, (1 - f) * fpm, ka, km, vm, tr.t_h[i]))
                                 .epsilon(kRelTol)
                                 .margin(kAbsTol_nM));
}

TEST_CASE("lag time shifts absorption and F applies only after the lag",
          "[pk][closed-form][dosing]") {
  const double v = 80, k = 0.2, ka = 1.5, f = 0.6, d = 50, lag = 0.75;
  auto s =
      one_arm({simple_compound("drug", v, k)}, {simple_formulation("po", "drug", {ka}, f, lag)},
              {dose("po", d, 1.0)}, 24, 0.05);
  const Trajectory tr = run(s);
  for (std::size_t i = 0; i < tr.n_times(); ++i) {
    const double t = tr.t_h[i];
    if (t <= 1.0 + lag) CHECK(tr.plasma(i, 0) == 0.0);  // nothing reaches plasma in the lag window
    CHECK(tr.plasma(i, 0) ==
          Approx(bateman(d, f, ka, k, v, t - 1.0 - lag)).epsilon(kRelTol).margin(kAbsTol_nM));
  }
}

TEST_CASE("zero-order infusion, also after a lag, with bioavailability",
          "[pk][closed-form][dosing]") {
  const double v = 30, k = 0.5, d = 60, dur = 2.0, lag = 0.5, f = 0.9;
  Formulation inf = simple_formulation("inf", "drug", {}, f, lag, dur);
  auto s = one_arm({simple_compound("drug", v, k)}, {inf}, {dose("inf", d, 3.0)}, 12, 0.1);
  const Trajectory tr = run(s);
  const double rate = f * d / dur;
  for (std::size_t i = 0; i < tr.n_times(); ++i) {
    const double t = tr.t_h[i] - 3.0 - lag;
    double expected = 0.0;
    if (t > 0 && t <= dur) expected = rate / (k * v) * (1 - std::exp(-k * t));
    if (t > dur) expected = rate / (k * v) * (1 - std::exp(-k * dur)) * std::exp(-k * (t - dur));
    CHECK(tr.plasma(i, 0) == Approx(expected).epsilon(kRelTol).margin(kAbsTol_nM));
  }
}

TEST_CASE("a dose record's duration turns a bolus into an infusion", "[pk][closed-form][dosing]") {
  const double v = 30, k = 0.5, d = 60, dur = 4.0;
  DoseRecord r = dose("iv", d, 0.0);
  r.duration_h = dur;
  auto s =
      one_arm({simple_compound("drug", v, k)}, {simple_formulation("iv", "drug")}, {r}, 8, 0.5);
  const Trajectory tr = run(s);
  const std::size_t i2 = 4;  // t = 2 h
  REQUIRE(tr.t_h[i2] == 2.0);
  CHECK(tr.plasma(i2, 0) == Approx(d / dur / (k * v) * (1 - std::exp(-k * 2.0))).epsilon(kRelTol));
}

TEST_CASE("steady state starts at the periodic trough (IV bolus)", "[pk][closed-form][dosing]") {
  const double v = 20, k = 0.1, d = 10, tau = 12;
  DoseRecord r = dose("iv", d, 0.0, 4, tau);  // the 5th dose lands on t_end
  r.steady_state = true;
  auto s =
      one_arm({simple_compound("drug", v, k)}, {simple_formulation("iv", "drug")}, {r}, 48, 1.0);
  const Trajectory tr = run(s);
  const double acc = 1.0 / (1.0 - std::exp(-k * tau));
  for (std::size_t i = 0; i < tr.n_times(); ++i) {
    const double t = std::fmod(tr.t_h[i], tau);
    CHECK(tr.plasma(i, 0) == Approx(d / v * acc * std::exp(-k * t)).epsilon(1e-6));
  }
}

TEST_CASE("steady state with a lag time (oral)", "[pk][closed-form][dosing]") {
  const double v = 80, k = 0.2, ka = 1.5, f = 0.6, d = 50, tau = 24, lag = 2.0;
  DoseRecord r = dose("po", d, 0.0, 1, tau);
  r.steady_state = true;
  auto s = one_arm({simple_compound("drug", v, k)},
                   {simple_formulation("po", "drug", {ka}, f, lag)}, {r}, 48, 0.5);
  const Trajectory tr = run(s);
  for (std::size_t i = 0; i < tr.n_times(); ++i) {
    // Sum over the infinite train of earlier doses: closed form of the geometric series.
    double tp = std::fmod(tr.t_h[i] - lag + tau, tau);
    const double expected = f * d * ka / (v * (ka - k)) *
                            (std::exp(-k * tp) / (1 - std::exp(-k * tau)) -
                             std::exp(-ka * tp) / (1 - std::exp(-ka * tau)));
    CHECK(tr.plasma(i, 0) == Approx(expected).epsilon(1e-6));
  }
}

TEST_CASE("missed and late doses", "[pk][closed-form][dosing]") {
  const double v = 20, k = 0.1, d = 10;
  DoseRecord r = dose("iv", d, 0.0, 3, 24);
  r.missed = {1};
  r.delays = {DoseDelay{2, 6.0}};
  auto s =
      one_arm({simple_compound("drug", v, k)}, {simple_formulation("iv", "drug")}, {r}, 96, 1.0);
  const Trajectory tr = run(s);
  REQUIRE(tr.doses.size() == 4);
  CHECK(tr.doses[1].status == DoseStatus::kMissed);
  CHECK(tr.doses[2].status == DoseStatus::kLate);
  CHECK(tr.doses[2].applied_time_h == 54.0);
  for (std::size_t i = 0; i < tr.n_times(); ++i) {
    const double t = tr.t_h[i];
    double a = 0.0;
    for (double td : {0.0, 54.0, 72.0})
      if (t >= td) a += d * std::exp(-k * (t - td));
    CHECK(tr.plasma(i, 0) == Approx(a / v).epsilon(kRelTol).margin(kAbsTol_nM));
  }
}

TEST_CASE("doses land exactly on time: same time twice, at t = 0 and at t_end", "[dosing]") {
  const double v = 10, k = 0.4, d = 5;
  auto s = one_arm({simple_compound("drug", v, k)}, {simple_formulation("iv", "drug")},
                   {dose("iv", d, 0), dose("iv", d, 3.3), dose("iv", d, 3.3), dose("iv", d, 10)},
                   10, 1.0);
  const Trajectory tr = run(s);
  REQUIRE(tr.t_h.back() == 10.0);
  // Right-continuous: a sample at a dose time includes the dose.
  CHECK(tr.plasma(0, 0) == Approx(d / v));
  auto expected = [&](double t) {
    double a = 0.0;
    for (double td : {0.0, 3.3, 3.3, 10.0})
      if (t >= td) a += d * std::exp(-k * (t - td));
    return a / v;
  };
  for (std::size_t i = 0; i < tr.n_times(); ++i)
    CHECK(tr.plasma(i, 0) == Approx(expected(tr.t_h[i])).epsilon(kRelTol));
  // Sampling at the dose time itself (3.3 h is off the grid): a custom grid.
  const std::vector<double> at{3.3 - 1e-9, 3.3};
  const Trajectory tr2 = simulate_arm(s, s.arms[0], at);
  CHECK(tr2.plasma(1, 0) - tr2.plasma(0, 0) == Approx(2 * d / v).epsilon(1e-6));
}
