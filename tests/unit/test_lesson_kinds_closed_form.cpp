// Each lesson kind's key number against a closed form: one-compartment compounds given as IV
// boluses, a first-order brain link, and equilibrium (Gaddum) binding, so that the brain
// concentration is D/V ke0/(ke0-k) (exp(-k t) - exp(-ke0 t)) and the occupancy of ligand i is
// (C_i/K_i) / (1 + sum_j C_j/K_j). Crossing times come from a bisection on that formula.
// The other two kinds have theirs in Python: surmount's doses are run again and reach the
// target (test_lesson_configs.py), schild's slope is 1 and its pA2 the antagonist's Kd
// (test_lessons.py).
#include <catch2/catch.hpp>
#include <cmath>
#include <functional>
#include <regex>
#include <string>

#include "lessons/run_lesson.hpp"
#include "solver/simulate.hpp"
#include "support/simple_models.hpp"

using namespace morsim;
using namespace morsim::testing;

namespace {

struct Drug {
  const char* name;
  double v_L, k_per_h, ke0_per_h, kd_nM, tau;
};
// The antagonist: Kd 1 nM, half-life 6.9 h. The agonist: Kd 0.5 nM, half-life 42 min.
constexpr Drug kAntagonist{"antagonist", 10.0, 0.1, 2.0, 1.0, 0.0};
constexpr Drug kAgonist{"agonist", 10.0, 1.0, 3.0, 0.5, 5.0};

Compound compound(const Drug& d) {
  // kon 1 /nM/h, koff = Kd: the equilibrium constant is all equilibrium binding uses.
  return binding_compound(d.name, d.v_L, d.k_per_h, d.ke0_per_h, 1.0, d.kd_nM, d.tau);
}

struct Bolus {
  const Drug* drug;
  double mg, t_h;  // 1 mg is 1 nmol at the unit molar mass
};

// Brain concentration over Kd of one drug from its boluses.
double load(const Drug& d, const std::vector<Bolus>& doses, double t_h) {
  double c = 0.0;
  for (const Bolus& b : doses) {
    const double s = t_h - b.t_h;
    if (b.drug != &d || s < 0) continue;
    c += b.mg / d.v_L * d.ke0_per_h / (d.ke0_per_h - d.k_per_h) *
         (std::exp(-d.k_per_h * s) - std::exp(-d.ke0_per_h * s));
  }
  return c / d.kd_nM;
}

double occupancy(const Drug& d, const std::vector<Bolus>& doses, double t_h) {
  const double a = load(kAntagonist, doses, t_h), g = load(kAgonist, doses, t_h);
  return (&d == &kAgonist ? g : a) / (1.0 + a + g);
}

// The t in [lo, hi] where f changes sign (f(lo) and f(hi) of opposite signs).
double bisect(const std::function<double(double)>& f, double lo, double hi) {
  const bool lo_positive = f(lo) > 0;
  REQUIRE(lo_positive != (f(hi) > 0));
  for (int i = 0; i < 100; ++i) {
    const double mid = 0.5 * (lo + hi);
    ((f(mid) > 0) == lo_positive ? lo : hi) = mid;
  }
  return 0.5 * (lo + hi);
}

// When one bolus's brain concentration (and so its occupancy alone) peaks: ln(ke0/k)/(ke0-k).
double peak_time_h(const Drug& d) {
  return std::log(d.ke0_per_h / d.k_per_h) / (d.ke0_per_h - d.k_per_h);
}
double agonist_peak_time_h() { return peak_time_h(kAgonist); }

DoseRecord record(const std::string& formulation, double mg, double t_h) {
  DoseRecord r;
  r.formulation = formulation;
  r.amount_mg = mg;
  r.time_h = t_h;
  return r;
}

Arm arm(const std::string& name, const std::vector<Bolus>& doses) {
  Arm a;
  a.name = name;
  for (const Bolus& b : doses)
    a.doses.push_back(record(std::string(b.drug->name) + "-iv", b.mg, b.t_h));
  return a;
}

ScenarioSpec scenario(const std::vector<Arm>& arms, double t_end_h, LessonSpec lesson) {
  ScenarioSpec s = one_arm({compound(kAntagonist), compound(kAgonist)},
                           {simple_formulation("antagonist-iv", "antagonist"),
                            simple_formulation("agonist-iv", "agonist")},
                           {}, t_end_h, 6.0);  // a coarse 6-h grid: nothing may be read off it
  s.arms = arms;
  s.receptor.mode = BindingMode::kEquilibrium;
  s.lesson = std::move(lesson);
  return s;
}

std::map<std::string, std::string> lesson_values(const ScenarioSpec& s) {
  return run_lesson(s, simulate(s)).output.values;
}

// The numbers after each match of `pattern`'s first group in `text`.
std::vector<double> numbers_after(const std::string& text, const std::string& pattern) {
  std::vector<double> out;
  const std::regex re(pattern);
  for (auto it = std::sregex_iterator(text.begin(), text.end(), re); it != std::sregex_iterator();
       ++it)
    out.push_back(std::stod((*it)[1].str()));
  return out;
}

// A percentage as written ("85%"): within half a point of the fraction.
void check_pct(double written, double fraction) {
  INFO("written " << written << "%, closed form " << 100 * fraction << "%");
  CHECK(std::abs(written - 100 * fraction) <= 0.5 + 1e-9);
}

}  // namespace

TEST_CASE("blockade: the hold times are where the antagonist's Gaddum occupancy crosses",
          "[lesson][closed-form]") {
  const std::vector<Bolus> treated{{&kAntagonist, 1000, 0.0}, {&kAgonist, 50, 60.0}};
  LessonSpec l;
  l.kind = "blockade";
  l.roles = {{"control", {"control"}}, {"treated", {"treated"}}};
  l.text = "{hold}";
  const auto v = lesson_values(scenario(
      {arm("control", {{&kAgonist, 50, 60.0}}), arm("treated", treated)}, 72.0, std::move(l)));
  // Both levels are crossed before the challenge, which only lowers the antagonist's share.
  const double t90 = bisect([&](double t) { return occupancy(kAntagonist, treated, t) - 0.9; },
                            peak_time_h(kAntagonist), 60.0);
  const double t50 = bisect([&](double t) { return occupancy(kAntagonist, treated, t) - 0.5; },
                            peak_time_h(kAntagonist), 60.0);
  const auto until = numbers_after(v.at("hold"), "until ([0-9.]+) h");
  INFO(v.at("hold") << "; closed form " << t90 << " h and " << t50 << " h");
  REQUIRE(until.size() == 2);
  CHECK(std::abs(until[0] - t90) <= 0.05 + 1e-3);  // written to 0.1 h
  CHECK(std::abs(until[1] - t50) <= 0.05 + 1e-3);
}

TEST_CASE("missed-doses: the block after the last dose taken is the superposed closed form",
          "[lesson][closed-form]") {
  // Four daily doses, the last two missed: the last one taken is at 24 h.
  Arm treated = arm("treated", {{&kAntagonist, 20, 0.0}, {&kAgonist, 50, 50.0}});
  treated.doses[0].addl = 3;
  treated.doses[0].ii_h = 24.0;
  treated.doses[0].missed = {2, 3};
  LessonSpec l;
  l.kind = "missed-doses";
  l.roles = {{"control", {"control"}}, {"treated", {"treated"}}};
  l.numbers = {{"hours_after_last_dose", {2.0, 24.0}}};
  l.text = "{last_dose} {after_last_dose} {missed}";
  const auto v = lesson_values(
      scenario({arm("control", {{&kAgonist, 50, 50.0}}), treated}, 60.0, std::move(l)));
  const std::vector<Bolus> taken{{&kAntagonist, 20, 0.0}, {&kAntagonist, 20, 24.0}};
  CHECK(v.at("missed") == "2");
  CHECK(v.at("last_dose") == "at 24.0 h");
  const auto pct = numbers_after(v.at("after_last_dose"), "([0-9]+)%");
  INFO(v.at("after_last_dose"));
  REQUIRE(pct.size() == 2);
  check_pct(pct[0], occupancy(kAntagonist, taken, 26.0));
  check_pct(pct[1], occupancy(kAntagonist, taken, 48.0));
}

TEST_CASE("maintenance: what the drug holds and what the challenge then takes",
          "[lesson][closed-form]") {
  const double t_c = 12.0;
  const std::vector<Bolus> on{{&kAntagonist, 20, 0.0}, {&kAgonist, 50, t_c}};
  LessonSpec l;
  l.kind = "maintenance";
  l.roles = {{"control", {"alone"}}, {"treated", {"on-antagonist"}}};
  l.text = "{control_peak} {treated}";
  const auto v = lesson_values(scenario(
      {arm("alone", {{&kAgonist, 50, t_c}}), arm("on-antagonist", on)}, 24.0, std::move(l)));
  check_pct(numbers_after(v.at("control_peak"), "([0-9]+)%").at(0),
            occupancy(kAgonist, {{&kAgonist, 50, 0.0}}, agonist_peak_time_h()));
  INFO(v.at("treated"));
  check_pct(numbers_after(v.at("treated"), "holds ([0-9]+)%").at(0),
            occupancy(kAntagonist, on, t_c));
  // The agonist's peak share against the antagonist: the largest value on a 0.1-s grid.
  double peak = 0.0;
  for (double t = t_c; t <= t_c + 3.0; t += 1.0 / 36000)
    peak = std::max(peak, occupancy(kAgonist, on, t));
  check_pct(numbers_after(v.at("treated"), "takes ([0-9]+)%").at(0), peak);
}

TEST_CASE("binding-mode: the equilibrium twin's peak and its time are the closed form's",
          "[lesson][closed-form]") {
  LessonSpec l;
  l.kind = "binding-mode";
  l.roles = {{"compare", {"alone-kinetic"}}};
  l.text = "{compared}";
  ScenarioSpec s = scenario({arm("alone-kinetic", {{&kAgonist, 50, 1.0}})}, 12.0, std::move(l));
  s.receptor.mode = BindingMode::kKinetic;  // the kind runs the twin at equilibrium
  const auto v = lesson_values(s);
  INFO(v.at("compared"));
  const std::smatch m = [&] {
    std::smatch r;
    const std::string& text = v.at("compared");
    REQUIRE(std::regex_search(text, r, std::regex("at equilibrium, ([0-9]+)% at ([0-9]+) min")));
    return r;
  }();
  check_pct(std::stod(m[1].str()),
            occupancy(kAgonist, {{&kAgonist, 50, 0.0}}, agonist_peak_time_h()));
  CHECK(std::abs(std::stod(m[2].str()) - 60 * agonist_peak_time_h()) <= 0.5 + 1e-6);
}

TEST_CASE("rescue: the agonist falls below the level where the closed form does",
          "[lesson][closed-form]") {
  const double t_a = 0.25;
  const std::vector<Bolus> rescued{{&kAgonist, 50, 0.0}, {&kAntagonist, 200, t_a}};
  LessonSpec l;
  l.kind = "rescue";
  l.roles = {{"alone", {"alone"}}, {"im", {"rescued"}}, {"iv", {"rescued"}}, {"slow", {"rescued"}}};
  l.numbers = {{"below", {0.5}}};
  l.text = "{alone_peak} {iv_below_time}";
  const auto v = lesson_values(
      scenario({arm("alone", {{&kAgonist, 50, 0.0}}), arm("rescued", rescued)}, 2.0, std::move(l)));
  check_pct(numbers_after(v.at("alone_peak"), "([0-9]+)%").at(0),
            occupancy(kAgonist, {{&kAgonist, 50, 0.0}}, agonist_peak_time_h()));
  REQUIRE(occupancy(kAgonist, rescued, t_a) > 0.5);
  const double below =
      bisect([&](double t) { return occupancy(kAgonist, rescued, t) - 0.5; }, t_a, 2.0);
  INFO(v.at("iv_below_time") << "; closed form " << 60 * below << " min");
  const auto minutes = numbers_after(v.at("iv_below_time"), "([0-9.]+) min");
  REQUIRE(minutes.size() == 1);
  CHECK(std::abs(minutes[0] - 60 * below) <= 0.05 + 1e-3);  // written to 0.1 min
}
