// Expands NONMEM-style dose records into timed inputs to each absorption phase, and a log.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "model/scenario.hpp"

namespace morsim {

// Amount entering one phase of a formulation: a bolus (duration 0) or a zero-order input.
struct PhaseInput {
  std::size_t formulation = 0;   // index into ScenarioSpec::formulations
  std::size_t phase = 0;         // index into Formulation::phases
  double start_h = 0.0;          // applied dose time + lag
  double duration_h = 0.0;       // 0 = bolus; +inf = a constant infusion (rate_nmol_per_h)
  double amount_nmol = 0.0;      // dose x phase fraction (bioavailability applies later)
  double rate_nmol_per_h = 0.0;  // of a constant infusion (duration_h = +inf), else 0
};

// One dose of a steady-state regimen: a periodic dose (period given with the regimen) or a
// constant infusion (rate_nmol_per_h > 0, amount 0).
struct SteadyStateDose {
  std::size_t formulation = 0;
  double amount_nmol = 0.0;
  double duration_h = -1.0;  // < 0: the formulation's own
  double rate_nmol_per_h = 0.0;
};

// What a record does to the whole state at its time (NONMEM's EVID 3/4 and SS 1/2 after the
// start). Applied before the inputs that start at the same time.
struct StateEvent {
  enum class Kind { kReset, kSteadyState, kSteadyStateAdd };
  Kind kind = Kind::kReset;
  double time_h = 0.0;
  std::size_t record = 0;                // index of the dose record, for the order at one time
  std::vector<SteadyStateDose> regimen;  // steady state: its doses ...
  double ii_h = 0.0;                     // ... every ii_h; 0 = a constant infusion
};

struct ExpandedSchedule {
  std::vector<PhaseInput> inputs;             // sorted by start_h
  std::vector<DoseLogEntry> log;              // sorted by applied time
  std::vector<SteadyStateDose> steady_state;  // doses of the steady-state regimen at time 0,
  double ss_ii_h = 0.0;                       // period ss_ii_h: the starting state
  std::vector<StateEvent> events;             // resets and later steady states, by time, record
};

// Amount of substance in a dose of `amount_mg` of the formulation's dosed form.
double dose_nmol(const ScenarioSpec& spec, const Formulation& f, double amount_mg);

// The phase inputs of one dose of `amount_nmol` applied at `t_h`.
void append_phase_inputs(const ScenarioSpec& spec, std::size_t formulation, double amount_nmol,
                         double t_h, double duration_override_h, std::vector<PhaseInput>& out);

// The inputs, within [from_h, to_h), of the doses of a periodic regimen given at t_h - k ii_h
// for k = k_min, k_min + 1, ...: zero-order inputs are cut to the window (overlapping
// infusions and lags longer than the interval included). With t_h = 0, [0, ii_h) and
// k_min = 0 it is one period at steady state; with [t_h, inf) and k_min = 1 the part of the
// earlier doses still to come at t_h.
void append_regimen_inputs(const ScenarioSpec& spec, const std::vector<SteadyStateDose>& regimen,
                           double ii_h, double t_h, double from_h, double to_h, int k_min,
                           std::vector<PhaseInput>& out);

// Throws ModelError for a dose record that cannot be expanded (unknown formulation,
// steady state without interval, steady-state doses at time 0 with different intervals).
ExpandedSchedule expand_schedule(const ScenarioSpec& spec, const Arm& arm);

// For event loops that only apply inputs (sweeps): throws ModelError naming `who` when the
// arm has resets or steady-state records, which such a loop would silently ignore.
void require_inputs_only(const Arm& arm, const std::string& who);

}  // namespace morsim
