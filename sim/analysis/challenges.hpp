// What each agonist dose (a "challenge") reaches at the receptor, and how much is blocked.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "model/metabolite_graph.hpp"  // produces_agonist, used by the callers
#include "model/scenario.hpp"
#include "model/trajectory.hpp"

namespace morsim {

struct ChallengeResult {
  double dose_time_h = 0.0;  // applied time
  std::string formulation;
  double amount_mg = 0.0;
  double peak_agonist_occupancy = 0.0;  // max over the window of the summed agonist occupancy
  double peak_time_h = 0.0;
  double antagonist_occupancy = 0.0;  // summed antagonist occupancy at the peak
  // max agonist effect in the window, fraction of Emax; NaN when the receptor model has no
  // operational effect (and then blockade and control_peak_effect are NaN too)
  double peak_effect = 0.0;
  // 1 - peak effect / peak effect of the matching control challenge; NaN without a control.
  double blockade = 0.0;
  double control_peak_effect = 0.0;  // NaN without a control
};

// The arm used as control for blockade: one named "control", else the first arm without any
// dose of an antagonist. nullptr when there is none.
const Trajectory* find_control_arm(const ScenarioSpec& spec, const std::vector<Trajectory>& arms);

// Challenges of an arm: each taken dose that produces an agonist. Peaks (and their times, the
// antagonist occupancy then, and the effect peaks behind blockade) are located on the solver's
// dense output when the arm is one of spec's arms, so they do not depend on the output grid:
// on the run the trajectory kept (SimulateOptions::keep_dense_output) without simulating, else
// on a new simulation of the arm; an arm spec does not describe is read off its samples. The window
// of a challenge runs to the next challenge or `window_h` hours, whichever is first. The matching
// control challenge is the one in `control` applied at the same time.
std::vector<ChallengeResult> analyse_challenges(const ScenarioSpec& spec, const Trajectory& arm,
                                                const Trajectory* control, double window_h = 24.0);

// While one is alive, analyse_challenges on this thread locates the peaks of an arm's
// challenges once and reuses them: a lesson and the page's challenge tables analyse the same
// arms of one run, and a location without a kept run simulates the arm again. It knows
// arms by name and windows, so it must not outlive the scenario it was made for. Memos nest;
// the innermost is used.
class ChallengeMemo {
 public:
  ChallengeMemo();
  ~ChallengeMemo();
  ChallengeMemo(const ChallengeMemo&) = delete;
  ChallengeMemo& operator=(const ChallengeMemo&) = delete;
  struct Entries;

  // The arm of `spec` named `arm` is known by `identity` instead of its name: a key of
  // everything its simulation depends on (the caller's), so that its peaks can be carried to
  // the memo of a later run whose arm has the same identity. Other specs' arms of that name
  // (a lesson's variants) are still known by name.
  void identify(const ScenarioSpec& spec, const std::string& arm, const std::string& identity);
  // The peaks located so far of the identified arms, and taking those of `saved` whose
  // identity is among this memo's (the rest of `saved` is ignored).
  std::shared_ptr<const Entries> identified() const;
  void seed(const Entries& saved);

 private:
  Entries* entries_;
  Entries* outer_;
};

// The unit of a run's time column: minutes up to 3 h, hours up to 3 days, else days.
struct TimeUnit {
  const char* name;  // "min", "h", "d"
  double hours;      // hours per unit
};
TimeUnit time_unit_for_span(double span_h);

// A fixed-width text table of the challenges of one arm (columns in docs/output.md); times of
// the doses in the unit that suits a run of `run_span_h` hours; "-" where a column means
// nothing (no control: blockade; no antagonist at any peak: antagonist; no effect model).
std::string format_challenge_table(const std::string& arm, const std::vector<ChallengeResult>& rows,
                                   double run_span_h = 24.0 * 30.0);

// The scenario's arm of that name, or nullptr (arms added by a lesson are not in the scenario).
const Arm* find_scenario_arm(const ScenarioSpec& spec, const std::string& name);

}  // namespace morsim
