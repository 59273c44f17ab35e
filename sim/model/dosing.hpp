// Dosing records in the vocabulary of NONMEM (ADDL/II, SS, rate/duration) and their expansion.
#pragma once

#include <string>
#include <vector>

namespace morsim {

// A late dose: the dose with this index (0-based within its record) is taken delay_h late.
struct DoseDelay {
  int index = 0;
  double delay_h = 0.0;
};

// One line of a dosing schedule: a dose at time_h, repeated addl more times every ii_h.
// NONMEM's items (docs/config.md): reset = EVID 3 (no formulation, amount 0) or EVID 4 (with a
// dose); steady_state = SS 1, with steady_state_add SS 2; rate_mg_per_h = RATE.
struct DoseRecord {
  std::string formulation;    // name of a Formulation; empty for a reset alone (EVID 3)
  double amount_mg = 0.0;     // of the dosed form, > 0; 0 for a reset alone or a constant infusion
  double time_h = 0.0;        // first dose, >= 0
  int addl = 0;               // additional doses after the first
  double ii_h = 0.0;          // interdose interval, > 0 when addl > 0 or steady_state
  double duration_h = -1.0;   // zero-order input duration overriding the formulation's; < 0 = keep
  bool steady_state = false;  // SS 1 (or 2): at time_h the steady state of (amount, ii_h)
  bool steady_state_add = false;  // SS 2: that steady state is added to the current state
  bool reset = false;             // all states to zero at time_h, before this record's dose
  double rate_mg_per_h = 0.0;     // > 0: a constant infusion at steady state (SS 1, AMT 0);
                                  // the loader turns amount with rate into duration_h
  std::vector<int> missed;        // 0-based indices of doses not taken
  std::vector<DoseDelay> delays;
};

// What happened to one dose, for the event log in the output.
enum class DoseStatus { kTaken, kLate, kMissed };

struct DoseLogEntry {
  double intended_time_h = 0.0;
  double applied_time_h = 0.0;  // intended + delay; the input starts at applied + lag
  std::string compound;
  std::string formulation;
  std::string route;
  double amount_mg = 0.0;
  DoseStatus status = DoseStatus::kTaken;
  bool steady_state = false;
};

const char* to_string(DoseStatus s);

}  // namespace morsim
