// Kind "surmount": the block is competitive, so a large enough agonist dose overcomes it.
// The dose that restores the control arm's occupancy is found by bisection, simulating the
// treated arm's antagonist schedule with one challenge each time.
#include <cmath>

#include "analysis/challenges.hpp"
#include "io/h5_handle.hpp"
#include "io/h5_write.hpp"
#include "lessons/kinds.hpp"
#include "solver/arm_simulator.hpp"

namespace morsim::lessons {
namespace {

using lesson_text::fmt;
using lesson_text::pct;

constexpr double kPeakWindowH = 6.0;  // the agonist peak comes within minutes of an IV dose

// Peak agonist occupancy of one challenge at t_h on top of the antagonist schedule `base`.
double challenge_peak(ArmSimulator& sim, Arm base, const std::string& formulation, double amount_mg,
                      double t_h) {
  DoseRecord r;
  r.formulation = formulation;
  r.amount_mg = amount_mg;
  r.time_h = t_h;
  base.doses.push_back(r);
  std::vector<double> samples;
  for (double dt = 0.0; dt <= kPeakWindowH; dt += 1.0 / 60.0) samples.push_back(t_h + dt);
  const Trajectory tr = sim.simulate(base, samples);
  double peak = 0.0;
  for (std::size_t i = 0; i < tr.n_times(); ++i) peak = std::max(peak, tr.agonist_occupancy(i));
  return peak;
}

// "falls from day 1.0 to day 7.0, then rises to day 14.0": the direction follows the numbers.
std::string trend(const ScenarioSpec& spec, const std::vector<double>& days,
                  const std::vector<double>& doses) {
  if (doses.size() < 2) return "is found on one day only";
  std::string s;
  int dir = 0;
  for (std::size_t i = 1; i < doses.size(); ++i) {
    const int d = doses[i] > doses[i - 1] * 1.01 ? 1 : doses[i] < doses[i - 1] * 0.99 ? -1 : 0;
    if (i == 1 || d != dir) {
      if (i > 1) s += " to " + time_of(spec, 24.0 * days[i - 1]) + ", then ";
      s += d > 0 ? "rises" : d < 0 ? "falls" : "stays level";
      if (i == 1) s += " from " + time_of(spec, 24.0 * days[0]);
      dir = d;
    }
  }
  return s + " to " + time_of(spec, 24.0 * days.back());
}

}  // namespace

LessonOutput analyse_surmount(const ScenarioSpec& spec, const LessonSpec& lesson,
                              const std::vector<Trajectory>& arms) {
  const Trajectory& control = arm_named(arms, lesson.arm("control"));
  LessonOutput out;
  auto& v = out.values;
  const auto crow = analyse_challenges(spec, control, nullptr);
  if (crow.empty()) return out;
  const ChallengeResult& usual = crow.front();
  const double target = lesson.number("target", usual.peak_agonist_occupancy);
  v["dose"] = mg(usual.amount_mg);
  v["control_peak"] = pct(usual.peak_agonist_occupancy);
  v["target"] = pct(target);
  std::string listed;
  for (const std::string& name : lesson.arms("treated"))
    for (const ChallengeResult& r : analyse_challenges(spec, arm_named(arms, name), &control))
      listed += (listed.empty() ? "" : "; ") + mg(r.amount_mg) + " " + when(spec, r.dose_time_h) +
                " reaches " + pct(r.peak_agonist_occupancy);
  v["challenges"] = listed;

  // The antagonist schedule alone: the first treated arm without its agonist doses.
  Arm base;
  for (const Arm& a : spec.arms)
    if (a.name == lesson.arm("treated")) {
      base = a;
      base.doses.clear();
      for (const DoseRecord& e : a.doses)
        if (!produces_agonist(spec, spec.find_formulation(e.formulation)->compound))
          base.doses.push_back(e);
    }
  ArmSimulator sim(spec);
  std::vector<double> days, doses;
  std::vector<std::string> said;
  for (double d : lesson.list("days", {1.0, 7.0, 14.0})) {
    const double t = d * 24.0;
    // Bisection in log dose: the peak rises monotonically with the dose.
    double lo = std::log(usual.amount_mg * 0.01), hi = std::log(usual.amount_mg * 1e4);
    if (challenge_peak(sim, base, usual.formulation, std::exp(hi), t) < target) {
      said.push_back("more than " + mg(std::exp(hi)) + " " + when(spec, t));
      days.push_back(d), doses.push_back(std::nan(""));
      continue;
    }
    for (int it = 0; it < 40; ++it) {
      const double mid = 0.5 * (lo + hi);
      (challenge_peak(sim, base, usual.formulation, std::exp(mid), t) < target ? lo : hi) = mid;
    }
    said.push_back(mg(std::exp(hi)) + " " + when(spec, t));
    days.push_back(d), doses.push_back(std::exp(hi));
  }
  v["surmounting_doses"] = join_list(said);
  v["trend"] = trend(spec, days, doses);
  const std::string formulation = usual.formulation;
  out.groups.push_back([days, doses, target, formulation](hid_t file) {
    H5Id g = create_group(file, "surmount");
    write_attr(g.get(), "target_occupancy", target);
    write_attr(g.get(), "formulation", formulation);
    write_dataset(g.get(), "day", {days.size()}, days, "d", "day of the challenge");
    write_dataset(g.get(), "dose", {doses.size()}, doses, "mg",
                  "dose reaching the target occupancy (NaN: more than 10^4 times the usual)");
  });
  return out;
}

}  // namespace morsim::lessons
