// Dose record expansion: ADDL/II repetition, missed and late doses, lag, infusion, steady state.
#include "pk/dose_schedule.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "model/errors.hpp"

namespace morsim {
namespace {

std::size_t formulation_index(const ScenarioSpec& spec, const std::string& name,
                              const std::string& arm) {
  for (std::size_t i = 0; i < spec.formulations.size(); ++i)
    if (spec.formulations[i].name == name) return i;
  throw ModelError("arm '" + arm + "': dose of unknown formulation '" + name + "'");
}

bool contains(const std::vector<int>& v, int x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

}  // namespace

double dose_nmol(const ScenarioSpec& spec, const Formulation& f, double amount_mg) {
  double mw = f.dosed_molar_mass_g_per_mol;
  if (!(mw > 0.0)) {
    const Compound* c = spec.find_compound(f.compound);
    if (!c) throw ModelError("formulation '" + f.name + "': unknown compound '" + f.compound + "'");
    mw = c->molar_mass_g_per_mol;
  }
  return amount_mg * 1e6 / mw;  // mg -> ng, / (g/mol) = nmol
}

void append_phase_inputs(const ScenarioSpec& spec, std::size_t formulation, double amount_nmol,
                         double t_h, double duration_override_h, std::vector<PhaseInput>& out) {
  const Formulation& f = spec.formulations[formulation];
  for (std::size_t p = 0; p < f.phases.size(); ++p) {
    const AbsorptionPhase& ph = f.phases[p];
    if (ph.fraction <= 0.0) continue;
    PhaseInput in;
    in.formulation = formulation;
    in.phase = p;
    in.start_h = t_h + ph.lag_h;
    in.duration_h = duration_override_h >= 0.0 ? duration_override_h : ph.duration_h;
    in.amount_nmol = amount_nmol * ph.fraction;
    out.push_back(in);
  }
}

void append_regimen_inputs(const ScenarioSpec& spec, const std::vector<SteadyStateDose>& regimen,
                           double ii_h, double t_h, double from_h, double to_h, int k_min,
                           std::vector<PhaseInput>& out) {
  if (!(ii_h > 0.0)) throw ModelError("a periodic steady state needs an interval > 0");
  // The earliest dose whose input can still reach the window: lag + duration back.
  double reach_h = 0.0;
  for (const SteadyStateDose& d : regimen)
    for (const AbsorptionPhase& ph : spec.formulations[d.formulation].phases)
      reach_h = std::max(reach_h, ph.lag_h + (d.duration_h >= 0.0 ? d.duration_h : ph.duration_h));
  constexpr double kMaxOverlap = 1e6;  // doses of one regimen in progress at once
  if (reach_h / ii_h > kMaxOverlap)
    throw ModelError("steady state: lag + input duration spans more than " +
                     std::to_string(static_cast<long>(kMaxOverlap)) + " intervals");
  const int k_max = static_cast<int>(std::ceil(reach_h / ii_h)) + 1;
  // Times computed as t - k ii + lag: within eps they are the window's edge.
  const double eps = 1e-9 * std::max(1.0, std::abs(t_h) + ii_h);
  std::vector<PhaseInput> one;
  for (const SteadyStateDose& d : regimen)
    for (int k = k_min; k <= k_max; ++k) {
      one.clear();
      append_phase_inputs(spec, d.formulation, d.amount_nmol, t_h - k * ii_h, d.duration_h, one);
      for (PhaseInput in : one) {
        if (in.duration_h <= 0.0) {
          if (std::abs(in.start_h - from_h) <= eps) in.start_h = from_h;
          if (in.start_h >= from_h && in.start_h < to_h - eps) out.push_back(in);
          continue;
        }
        const double a = std::max(in.start_h, from_h),
                     b = std::min(in.start_h + in.duration_h, to_h);
        if (!(b - a > eps)) continue;
        in.amount_nmol *= (b - a) / in.duration_h;
        in.start_h = a;
        in.duration_h = b - a;
        out.push_back(in);
      }
    }
}

ExpandedSchedule expand_schedule(const ScenarioSpec& spec, const Arm& arm) {
  ExpandedSchedule s;
  // Per input: the time of the dose it comes from and its record, for what a reset cancels.
  struct Origin {
    double dose_time_h;
    std::size_t record;
  };
  std::vector<Origin> origin;
  std::size_t first_initial = arm.doses.size();  // record of the first SS 1 at time 0
  const auto tag = [&](double t, std::size_t rec) {
    origin.resize(s.inputs.size(), Origin{t, rec});
  };
  for (std::size_t ri = 0; ri < arm.doses.size(); ++ri) {
    const DoseRecord& r = arm.doses[ri];
    const bool replaces = r.steady_state && !r.steady_state_add;  // SS 1 resets anyway
    if (r.reset && !replaces) s.events.push_back({StateEvent::Kind::kReset, r.time_h, ri, {}, 0.0});
    if (r.formulation.empty()) {
      if (!r.reset) throw ModelError("arm '" + arm.name + "': a dose record without a formulation");
      continue;
    }
    const std::size_t fi = formulation_index(spec, r.formulation, arm.name);
    const Formulation& f = spec.formulations[fi];
    const StateEvent::Kind ss_kind =
        replaces ? StateEvent::Kind::kSteadyState : StateEvent::Kind::kSteadyStateAdd;
    DoseLogEntry e;
    e.compound = f.compound;
    e.formulation = f.name;
    e.route = f.route;
    if (r.rate_mg_per_h > 0.0) {  // SS with AMT 0, RATE > 0: infusing forever from time_h
      if (!r.steady_state)
        throw ModelError("arm '" + arm.name + "': a rate without an amount needs steady_state");
      const double rate = dose_nmol(spec, f, r.rate_mg_per_h);
      s.events.push_back({ss_kind, r.time_h, ri, {{fi, 0.0, -1.0, rate}}, 0.0});
      for (std::size_t p = 0; p < f.phases.size(); ++p) {
        if (f.phases[p].fraction <= 0.0) continue;
        PhaseInput in;
        in.formulation = fi;
        in.phase = p;
        in.start_h = r.time_h;  // a lag shifts an infusion from the infinite past: no change
        in.duration_h = std::numeric_limits<double>::infinity();
        in.rate_nmol_per_h = rate * f.phases[p].fraction;
        s.inputs.push_back(in);
      }
      tag(r.time_h, ri);
      e.intended_time_h = e.applied_time_h = r.time_h;
      e.steady_state = true;
      s.log.push_back(e);
      continue;
    }
    const double nmol = dose_nmol(spec, f, r.amount_mg);
    if ((r.addl > 0 || r.steady_state) && !(r.ii_h > 0.0))
      throw ModelError("arm '" + arm.name + "': dose of '" + r.formulation +
                       "' repeats (addl or steady_state) but has no interval > 0");
    if (r.steady_state) {
      const SteadyStateDose d{fi, nmol, r.duration_h, 0.0};
      // SS 1 at time 0 is the starting state, as before: records at time 0 add to it.
      if (replaces && std::abs(r.time_h) <= 1e-9) {
        if (s.ss_ii_h > 0.0 && std::abs(s.ss_ii_h - r.ii_h) > 1e-9)
          throw ModelError("arm '" + arm.name +
                           "': steady-state doses at time 0 must share one interval");
        s.ss_ii_h = r.ii_h;
        if (s.steady_state.empty()) first_initial = ri;
        s.steady_state.push_back(d);
      } else {
        s.events.push_back({ss_kind, r.time_h, ri, {d}, r.ii_h});
      }
      // Earlier doses of the regimen still in progress (overlapping infusions, long lags).
      append_regimen_inputs(spec, {d}, r.ii_h, r.time_h, r.time_h,
                            std::numeric_limits<double>::infinity(), 1, s.inputs);
      tag(r.time_h, ri);
    }
    for (int i = 0; i <= r.addl; ++i) {
      e.intended_time_h = r.time_h + i * r.ii_h;
      e.applied_time_h = e.intended_time_h;
      e.amount_mg = r.amount_mg;
      e.steady_state = r.steady_state && i == 0;
      e.status = DoseStatus::kTaken;
      if (contains(r.missed, i)) {
        e.status = DoseStatus::kMissed;
      } else {
        for (const DoseDelay& dl : r.delays)
          if (dl.index == i && dl.delay_h != 0.0) {
            e.applied_time_h += dl.delay_h;
            e.status = DoseStatus::kLate;
          }
        append_phase_inputs(spec, fi, nmol, e.applied_time_h, r.duration_h, s.inputs);
        tag(e.applied_time_h, ri);
      }
      s.log.push_back(e);
    }
  }
  // A reset (and SS 1) forgets the doses before it: infusions in progress stop, inputs still
  // to come (lags) are dropped. Before = an earlier dose time, or the same time and record order.
  std::vector<char> keep(s.inputs.size(), 1);
  for (const StateEvent& ev : s.events) {
    if (ev.kind == StateEvent::Kind::kSteadyStateAdd) continue;
    const double t = ev.time_h;
    for (std::size_t i = 0; i < s.inputs.size(); ++i) {
      const Origin& o = origin[i];
      if (!keep[i] || !(o.dose_time_h < t || (o.dose_time_h == t && o.record < ev.record)))
        continue;
      PhaseInput& in = s.inputs[i];
      if (in.start_h >= t) {
        keep[i] = 0;
      } else if (in.duration_h > 0.0 && in.start_h + in.duration_h > t) {
        const double d = t - in.start_h;
        in.amount_nmol =
            std::isinf(in.duration_h) ? in.rate_nmol_per_h * d : in.amount_nmol * d / in.duration_h;
        in.rate_nmol_per_h = 0.0;
        in.duration_h = d;
      }
    }
  }
  // A reset at time 0 before the starting steady state in record order acted on nothing: it
  // has cancelled what came before it and must not wipe the starting state.
  s.events.erase(std::remove_if(s.events.begin(), s.events.end(),
                                [&](const StateEvent& ev) {
                                  return ev.kind == StateEvent::Kind::kReset &&
                                         std::abs(ev.time_h) <= 1e-9 && ev.record < first_initial;
                                }),
                 s.events.end());
  std::vector<PhaseInput> kept;
  for (std::size_t i = 0; i < s.inputs.size(); ++i)
    if (keep[i]) kept.push_back(s.inputs[i]);
  s.inputs = std::move(kept);
  std::stable_sort(s.inputs.begin(), s.inputs.end(),
                   [](const PhaseInput& a, const PhaseInput& b) { return a.start_h < b.start_h; });
  std::stable_sort(s.log.begin(), s.log.end(), [](const DoseLogEntry& a, const DoseLogEntry& b) {
    return a.applied_time_h < b.applied_time_h;
  });
  std::stable_sort(s.events.begin(), s.events.end(),
                   [](const StateEvent& a, const StateEvent& b) { return a.time_h < b.time_h; });
  return s;
}

void require_inputs_only(const Arm& arm, const std::string& who) {
  for (std::size_t i = 0; i < arm.doses.size(); ++i) {
    const DoseRecord& r = arm.doses[i];
    if (r.reset || r.steady_state)
      throw ModelError(who + ": arm '" + arm.name + "' dose record " + std::to_string(i + 1) +
                       " has " + (r.reset ? "reset" : "steady_state") + ", which " + who +
                       " does not support (allowed: dose records without reset or steady_state)");
  }
}

}  // namespace morsim
