// Dose record expansion: ADDL/II repetition, missed and late doses, lag, infusion, steady state.
#include "pk/dose_schedule.hpp"

#include <algorithm>
#include <cmath>
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

ExpandedSchedule expand_schedule(const ScenarioSpec& spec, const Arm& arm) {
  ExpandedSchedule s;
  for (const DoseRecord& r : arm.doses) {
    const std::size_t fi = formulation_index(spec, r.formulation, arm.name);
    const Formulation& f = spec.formulations[fi];
    const double nmol = dose_nmol(spec, f, r.amount_mg);
    if ((r.addl > 0 || r.steady_state) && !(r.ii_h > 0.0))
      throw ModelError("arm '" + arm.name + "': dose of '" + r.formulation +
                       "' repeats (addl or steady_state) but has no interval > 0");
    if (r.steady_state) {
      if (std::abs(r.time_h - spec.grid.t_start_h) > 1e-9)
        throw ModelError("arm '" + arm.name + "': a steady-state dose must start at the start " +
                         "of the simulation (" + std::to_string(spec.grid.t_start_h) + " h)");
      if (s.ss_ii_h > 0.0 && std::abs(s.ss_ii_h - r.ii_h) > 1e-9)
        throw ModelError("arm '" + arm.name + "': steady-state doses must share one interval");
      for (const AbsorptionPhase& ph : f.phases) {
        const double dur = r.duration_h >= 0.0 ? r.duration_h : ph.duration_h;
        if (ph.lag_h + dur > r.ii_h)
          throw ModelError("arm '" + arm.name + "': steady state of '" + r.formulation +
                           "' needs lag + input duration <= interval");
      }
      s.ss_ii_h = r.ii_h;
      s.steady_state.push_back({fi, nmol, r.duration_h});
    }
    for (int i = 0; i <= r.addl; ++i) {
      DoseLogEntry e;
      e.intended_time_h = r.time_h + i * r.ii_h;
      e.applied_time_h = e.intended_time_h;
      e.compound = f.compound;
      e.formulation = f.name;
      e.route = f.route;
      e.amount_mg = r.amount_mg;
      e.steady_state = r.steady_state && i == 0;
      if (contains(r.missed, i)) {
        e.status = DoseStatus::kMissed;
      } else {
        for (const DoseDelay& d : r.delays)
          if (d.index == i && d.delay_h != 0.0) {
            e.applied_time_h += d.delay_h;
            e.status = DoseStatus::kLate;
          }
        append_phase_inputs(spec, fi, nmol, e.applied_time_h, r.duration_h, s.inputs);
      }
      s.log.push_back(e);
    }
  }
  std::stable_sort(s.inputs.begin(), s.inputs.end(),
                   [](const PhaseInput& a, const PhaseInput& b) { return a.start_h < b.start_h; });
  std::stable_sort(s.log.begin(), s.log.end(), [](const DoseLogEntry& a, const DoseLogEntry& b) {
    return a.applied_time_h < b.applied_time_h;
  });
  return s;
}

}  // namespace morsim
