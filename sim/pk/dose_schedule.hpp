// Expands NONMEM-style dose records into timed inputs to each absorption phase, and a log.
#pragma once

#include <cstddef>
#include <vector>

#include "model/scenario.hpp"

namespace morsim {

// Amount entering one phase of a formulation: a bolus (duration 0) or a zero-order input.
struct PhaseInput {
  std::size_t formulation = 0;  // index into ScenarioSpec::formulations
  std::size_t phase = 0;        // index into Formulation::phases
  double start_h = 0.0;         // applied dose time + lag
  double duration_h = 0.0;      // 0 = bolus
  double amount_nmol = 0.0;     // dose x phase fraction (bioavailability applies later)
};

// A regimen whose periodic steady state is the starting state of the simulation.
struct SteadyStateDose {
  std::size_t formulation = 0;
  double amount_nmol = 0.0;
  double duration_h = -1.0;  // < 0: the formulation's own
};

struct ExpandedSchedule {
  std::vector<PhaseInput> inputs;             // sorted by start_h
  std::vector<DoseLogEntry> log;              // sorted by applied time
  std::vector<SteadyStateDose> steady_state;  // doses of the steady-state regimen, period ss_ii_h
  double ss_ii_h = 0.0;
};

// Amount of substance in a dose of `amount_mg` of the formulation's dosed form.
double dose_nmol(const ScenarioSpec& spec, const Formulation& f, double amount_mg);

// The phase inputs of one dose of `amount_nmol` applied at `t_h`.
void append_phase_inputs(const ScenarioSpec& spec, std::size_t formulation, double amount_nmol,
                         double t_h, double duration_override_h, std::vector<PhaseInput>& out);

// Throws ModelError for a dose record that cannot be expanded (unknown formulation,
// steady state without interval or not at the start of the grid, lag or infusion longer than
// the interval at steady state).
ExpandedSchedule expand_schedule(const ScenarioSpec& spec, const Arm& arm);

}  // namespace morsim
