// Lesson paragraphs: each reads its numbers from the simulated arms (or, for surmount, from
// further simulations of the same scenario), never from fixed text.
#include "analysis/lessons.hpp"

#include <cmath>
#include <cstdio>
#include <string>

#include "analysis/challenges.hpp"
#include "analysis/lesson_agonists.hpp"
#include "analysis/lesson_binding_mode.hpp"
#include "solver/arm_simulator.hpp"

namespace morsim {
namespace {

std::string fmt(const char* f, double a) {
  char b[64];
  std::snprintf(b, sizeof b, f, a);
  return b;
}
std::string pct(double x) { return std::isnan(x) ? "-" : fmt("%.0f%%", 100.0 * x); }
std::string day(double t_h) { return fmt("%.1f", t_h / 24.0); }

const Trajectory* arm_with_antagonist(const ScenarioSpec& spec, const std::vector<Trajectory>& arms,
                                      const Trajectory* control) {
  for (const Trajectory& t : arms)
    if (&t != control && t.arm.find("control") == std::string::npos)
      for (const DoseLogEntry& d : t.doses)
        if (const Compound* c = spec.find_compound(d.compound);
            c && c->binds_receptor && !c->is_agonist())
          return &t;
  return nullptr;
}

// Last time (after the first time it is reached) the antagonist occupancy is >= level.
double last_time_above(const Trajectory& tr, double level) {
  double last = std::nan("");
  for (std::size_t i = 0; i < tr.n_times(); ++i)
    if (tr.antagonist_occupancy(i) >= level) last = tr.t_h[i];
  return last;
}

double value_at(const Trajectory& tr, double t_h, double (Trajectory::*f)(std::size_t) const) {
  std::size_t best = 0;
  for (std::size_t i = 0; i < tr.n_times(); ++i)
    if (std::abs(tr.t_h[i] - t_h) < std::abs(tr.t_h[best] - t_h)) best = i;
  return (tr.*f)(best);
}

std::string depot_lesson(const ScenarioSpec& spec, const std::vector<Trajectory>& arms) {
  const Trajectory* control = find_control_arm(spec, arms);
  const Trajectory* ntx = arm_with_antagonist(spec, arms, control);
  if (!control || !ntx) return "";
  const auto rows = analyse_challenges(spec, *ntx, control);
  const auto crow = analyse_challenges(spec, *control, nullptr);
  if (rows.empty() || crow.empty()) return "";
  std::string s = "Lesson: the monthly naltrexone injection. Without naltrexone a " +
                  fmt("%.0f", crow.front().amount_mg) + " mg heroin dose binds up to " +
                  pct(crow.front().peak_agonist_occupancy) + " of the receptors and gives " +
                  pct(crow.front().peak_effect) + " of the maximal opioid effect. ";
  const double t90 = last_time_above(*ntx, 0.9), t50 = last_time_above(*ntx, 0.5);
  s += "After the injection naltrexone and 6-beta-naltrexol hold ";
  const double t_end = ntx->t_h.back();
  auto until = [&](double t) {
    return t >= t_end ? "beyond the end of the run (day " + day(t_end) + ")"
                      : "until day " + day(t);
  };
  s += std::isnan(t90) ? "never 90% or more of the receptors"
                       : "at least 90% of the receptors " + until(t90);
  s += std::isnan(t50) ? " and never 50%. " : " and at least 50% " + until(t50) + ". ";
  s += "The same heroin dose then reaches ";
  for (std::size_t i = 0; i < rows.size(); ++i) {
    s += pct(rows[i].peak_agonist_occupancy) + " on day " + day(rows[i].dose_time_h);
    s += i + 1 < rows.size() ? ", " : "";
  }
  s += "; its effect is blocked by ";
  for (std::size_t i = 0; i < rows.size(); ++i) {
    s += std::isnan(rows[i].blockade) ? "-" : pct(rows[i].blockade);
    s += i + 1 < rows.size() ? ", " : ".";
  }
  s += " As the depot empties, the block fades: a relapse late in the month meets less and "
       "less resistance.";
  return s;
}

std::string oral_lesson(const ScenarioSpec& spec, const std::vector<Trajectory>& arms) {
  const Trajectory* control = find_control_arm(spec, arms);
  const Trajectory* ntx = arm_with_antagonist(spec, arms, control);
  if (!control || !ntx) return "";
  double last_tablet = -1.0;
  int missed = 0;
  for (const DoseLogEntry& d : ntx->doses) {
    const Compound* c = spec.find_compound(d.compound);
    if (!c || !c->binds_receptor || c->is_agonist()) continue;
    if (d.status == DoseStatus::kMissed)
      ++missed;
    else
      last_tablet = std::max(last_tablet, d.applied_time_h);
  }
  if (last_tablet < 0) return "";
  std::string s = "Lesson: daily tablets and missed doses. ";
  std::size_t k_ntx = ntx->n_compounds(), k_nol = ntx->n_compounds();
  for (std::size_t k = 0; k < ntx->n_compounds(); ++k) {
    if (ntx->compounds[k] == "naltrexone") k_ntx = k;
    if (ntx->compounds[k] == "6-beta-naltrexol") k_nol = k;
  }
  for (double after : {2.0, 24.0, 48.0}) {
    const double t = last_tablet + after;
    if (t > ntx->t_h.back()) continue;
    const double total = value_at(*ntx, t, &Trajectory::antagonist_occupancy);
    s += fmt("%.0f h", after) + " after the last tablet (day " + day(last_tablet) +
         ") the antagonists hold " + pct(total) + " of the receptors";
    if (k_ntx < ntx->n_compounds() && k_nol < ntx->n_compounds()) {
      std::size_t i = 0;
      for (std::size_t j = 0; j < ntx->n_times(); ++j)
        if (std::abs(ntx->t_h[j] - t) < std::abs(ntx->t_h[i] - t)) i = j;
      s += " (naltrexone " + pct(ntx->occ(i, k_ntx)) + ", 6-beta-naltrexol " +
           pct(ntx->occ(i, k_nol)) + ")";
    }
    s += "; ";
  }
  const auto rows = analyse_challenges(spec, *ntx, control);
  for (const ChallengeResult& r : rows) {
    const bool on_missed_day = r.dose_time_h > last_tablet + 12.0;
    s += "heroin on day " + day(r.dose_time_h) + (on_missed_day ? " (a missed day)" : "") +
         " reaches " + pct(r.peak_agonist_occupancy) + " of the receptors, its effect blocked by " +
         (std::isnan(r.blockade) ? std::string("-") : pct(r.blockade)) + "; ";
  }
  s += fmt("%.0f", missed) +
       " missed tablet(s) are enough to open the receptor again, which "
       "is the clinical case for the monthly injection.";
  return s;
}

// Peak agonist occupancy of `amount_mg` of the challenge formulation at t_h on top of the
// antagonist arm's schedule.
double challenge_peak(ArmSimulator& sim, const ScenarioSpec& spec, Arm arm,
                      const std::string& formulation, double amount_mg, double t_h) {
  DoseRecord r;
  r.formulation = formulation;
  r.amount_mg = amount_mg;
  r.time_h = t_h;
  arm.doses.push_back(r);
  std::vector<double> samples;
  for (double dt = 0.0; dt <= 6.0; dt += 1.0 / 60.0) samples.push_back(t_h + dt);
  (void)spec;
  const Trajectory tr = sim.simulate(arm, samples);
  double peak = 0.0;
  for (std::size_t i = 0; i < tr.n_times(); ++i) peak = std::max(peak, tr.agonist_occupancy(i));
  return peak;
}

std::string surmount_lesson(const ScenarioSpec& spec, const std::vector<Trajectory>& arms) {
  const Trajectory* control = find_control_arm(spec, arms);
  if (!control) return "";
  const auto crow = analyse_challenges(spec, *control, nullptr);
  if (crow.empty()) return "";
  const ChallengeResult& usual = crow.front();
  std::string s = "Lesson: the block is competitive. Without naltrexone " +
                  fmt("%.0f", usual.amount_mg) + " mg heroin binds " +
                  pct(usual.peak_agonist_occupancy) + " of the receptors. ";
  for (const Trajectory& t : arms) {
    if (&t == control) continue;
    for (const ChallengeResult& r : analyse_challenges(spec, t, control))
      s += fmt("%.0f mg", r.amount_mg) + " on day " + day(r.dose_time_h) + " reaches " +
           pct(r.peak_agonist_occupancy) + "; ";
  }
  // The antagonist schedule alone: the first arm with antagonist doses, challenges removed.
  Arm base;
  for (const Arm& a : spec.arms)
    for (const DoseRecord& d : a.doses) {
      const Formulation* f = spec.find_formulation(d.formulation);
      const Compound* c = f ? spec.find_compound(f->compound) : nullptr;
      if (c && c->binds_receptor && !c->is_agonist() && base.doses.empty()) {
        base = a;
        base.doses.clear();
        for (const DoseRecord& e : a.doses)
          if (!produces_agonist(spec, spec.find_formulation(e.formulation)->compound))
            base.doses.push_back(e);
      }
    }
  if (base.doses.empty()) return s;
  ArmSimulator sim(spec);
  s += "The heroin dose that reaches the usual " + pct(usual.peak_agonist_occupancy) +
       " grows as the depot empties: ";
  const double last_day = std::floor((spec.grid.t_end_h - 6.0) / 24.0);
  bool first = true;
  for (double d : {1.0, 7.0, 14.0, 21.0, 28.0, 35.0}) {
    if (d > last_day) break;
    const double t = d * 24.0;
    // Bisection in log dose; the peak rises monotonically with the dose.
    double lo = std::log(usual.amount_mg * 0.1), hi = std::log(usual.amount_mg * 1e4);
    if (challenge_peak(sim, spec, base, usual.formulation, std::exp(hi), t) <
        usual.peak_agonist_occupancy) {
      s += std::string(first ? "" : ", ") + "more than " + fmt("%.0f", std::exp(hi)) +
           " mg on day " + day(t);
      first = false;
      continue;
    }
    for (int it = 0; it < 40; ++it) {
      const double mid = 0.5 * (lo + hi);
      (challenge_peak(sim, spec, base, usual.formulation, std::exp(mid), t) <
               usual.peak_agonist_occupancy
           ? lo
           : hi) = mid;
    }
    s += std::string(first ? "" : ", ") + fmt("%.0f mg", std::exp(hi)) + " on day " + day(t);
    first = false;
  }
  s += ". Such doses are far above what a user is used to: when the block wanes or the "
       "antagonist is stopped, the same dose meets an open receptor and can be fatal.";
  return s;
}

const Trajectory* arm_named(const std::vector<Trajectory>& arms, const std::string& name) {
  for (const Trajectory& t : arms)
    if (t.arm == name) return &t;
  return nullptr;
}

// First time after t0 at which the agonist occupancy is below `level`; NaN if never.
double first_time_below(const Trajectory& tr, double t0, double level) {
  for (std::size_t i = 0; i < tr.n_times(); ++i)
    if (tr.t_h[i] > t0 && tr.agonist_occupancy(i) < level) return tr.t_h[i];
  return std::nan("");
}

std::string minutes(double t_h) { return std::isnan(t_h) ? "never" : fmt("%.1f min", 60.0 * t_h); }

std::string naloxone_lesson(const std::vector<Trajectory>& arms) {
  const Trajectory* alone = arm_named(arms, "fentanyl-alone");
  const Trajectory* im = arm_named(arms, "fentanyl-naloxone-im");
  const Trajectory* iv = arm_named(arms, "fentanyl-naloxone-iv");
  const Trajectory* carf = arm_named(arms, "carfentanil-naloxone-im");
  if (!alone || !im || !iv || !carf) return "";
  auto naloxone_time = [](const Trajectory& t) {
    for (const DoseLogEntry& d : t.doses)
      if (d.compound.find("naloxone") != std::string::npos) return d.applied_time_h;
    return 0.0;
  };
  auto peak_after = [](const Trajectory& t, double t0) {
    double best = 0.0;
    for (std::size_t i = 0; i < t.n_times(); ++i)
      if (t.t_h[i] >= t0) best = std::max(best, t.agonist_occupancy(i));
    return best;
  };
  auto minimum = [](const Trajectory& t, double& when) {
    double best = 2.0;
    for (std::size_t i = 0; i < t.n_times(); ++i)
      if (t.agonist_occupancy(i) < best && t.t_h[i] > 0.05)
        best = t.agonist_occupancy(i), when = t.t_h[i];
    return best;
  };
  const double t_end = alone->t_h.back();
  std::string s = "Lesson: naloxone rescue (the FDA model, Mann 2022). Fentanyl alone holds " +
                  pct(peak_after(*alone, 0.0)) + " of the receptors and still " +
                  pct(alone->agonist_occupancy(alone->n_times() - 1)) + " after " +
                  fmt("%.0f min", 60 * t_end) + ". ";
  const double t_im = naloxone_time(*im), t_iv = naloxone_time(*iv);
  s += "Naloxone 2 mg IM at " + minutes(t_im) + " brings the opioid's occupancy below 80% at " +
       minutes(first_time_below(*im, t_im, 0.8)) + "; given IV, at " +
       minutes(first_time_below(*iv, t_iv, 0.8)) + ". ";
  double t_min = 0.0;
  const double low = minimum(*iv, t_min);
  s += "After IV naloxone the opioid falls to " + pct(low) + " at " + minutes(t_min) +
       " and then climbs back to " + pct(iv->agonist_occupancy(iv->n_times() - 1)) + " by " +
       fmt("%.0f min", 60 * t_end) +
       " as naloxone leaves faster than fentanyl: renarcotisation, the reason to keep watching "
       "a rescued patient. ";
  s += "Carfentanil, which dissociates slowly, still holds " +
       pct(carf->agonist_occupancy(carf->n_times() - 1)) + " at " + fmt("%.0f min", 60 * t_end) +
       " despite the same IM naloxone.";
  return s;
}

}  // namespace

std::string lesson_paragraph(const ScenarioSpec& spec, const std::vector<Trajectory>& arms) {
  if (spec.name == "depot-blockade") return depot_lesson(spec, arms);
  if (spec.name == "oral-blockade" || spec.name == "oral-adherence") return oral_lesson(spec, arms);
  if (spec.name == "surmount") return surmount_lesson(spec, arms);
  if (spec.name == "naloxone-rescue") return naloxone_lesson(arms);
  if (spec.name == "agonist-vs-antagonist") return agonist_vs_antagonist_paragraph(spec, arms);
  if (spec.name == "kinetic-vs-equilibrium") return kinetic_vs_equilibrium_paragraph(spec, arms);
  return "";
}

}  // namespace morsim
