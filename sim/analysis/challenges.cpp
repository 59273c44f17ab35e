// Peak agonist occupancy and effect after each challenge, and blockade against the control.
#include "analysis/challenges.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <map>
#include <set>
#include <tuple>

#include "analysis/dense_peak.hpp"
#include "solver/arm_simulator.hpp"

namespace morsim {

const Trajectory* find_control_arm(const ScenarioSpec& spec, const std::vector<Trajectory>& arms) {
  for (const Trajectory& t : arms)
    if (t.arm == "control") return &t;
  for (const Trajectory& t : arms) {
    bool antagonist = false;
    for (const DoseLogEntry& d : t.doses) {
      const Compound* c = spec.find_compound(d.compound);
      if (c && c->binds_receptor && !c->is_agonist() && d.status != DoseStatus::kMissed)
        antagonist = true;
    }
    if (!antagonist) return &t;
  }
  return nullptr;
}

// Named, not anonymous: ChallengeMemo's entries (a class with linkage) hold them.
namespace challenge_memo_types {
struct Window {
  double peak_occ = -1.0, peak_t = 0.0, antagonist = 0.0, peak_effect = 0.0;
};
using MemoKey = std::tuple<std::string, std::vector<std::pair<double, double>>>;
}  // namespace challenge_memo_types
using challenge_memo_types::MemoKey;
using challenge_memo_types::Window;

namespace {

Window scan(const Trajectory& tr, double t0, double t1) {
  Window w;
  for (std::size_t i = 0; i < tr.n_times(); ++i) {
    const double t = tr.t_h[i];
    if (t < t0 || t > t1) continue;
    const double a = tr.agonist_occupancy(i);
    if (a > w.peak_occ) {
      w.peak_occ = a;
      w.peak_t = t;
      w.antagonist = tr.antagonist_occupancy(i);
    }
    w.peak_effect = std::max(w.peak_effect, tr.effect[i]);
  }
  return w;
}

std::vector<const DoseLogEntry*> challenge_doses(const ScenarioSpec& spec, const Trajectory& tr) {
  std::vector<const DoseLogEntry*> out;
  for (const DoseLogEntry& d : tr.doses)
    if (d.status != DoseStatus::kMissed && produces_agonist(spec, d.compound)) out.push_back(&d);
  return out;
}

// The window of each challenge: to the next challenge, `window_h` or the end of the run.
std::vector<PeakWindow> challenge_windows(const std::vector<const DoseLogEntry*>& doses,
                                          double window_h, double t_end_h) {
  std::vector<PeakWindow> w;
  for (std::size_t j = 0; j < doses.size(); ++j) {
    const double t0 = doses[j]->applied_time_h;
    double t1 = std::min(t0 + window_h, std::max(t0, t_end_h));
    if (j + 1 < doses.size()) t1 = std::min(t1, doses[j + 1]->applied_time_h);
    w.push_back({t0, t1});
  }
  return w;
}

}  // namespace

struct ChallengeMemo::Entries {
  std::map<MemoKey, std::vector<Window>> found;
  // identify(): the spec whose arms are named, and their identities by arm name.
  const ScenarioSpec* spec = nullptr;
  std::map<std::string, std::string> identities;
};

namespace {
thread_local ChallengeMemo::Entries* current_memo = nullptr;
}

ChallengeMemo::ChallengeMemo() : entries_(new Entries), outer_(current_memo) {
  current_memo = entries_;
}

ChallengeMemo::~ChallengeMemo() {
  current_memo = outer_;
  delete entries_;
}

// Identified arms' keys start with '#', names with '='.
void ChallengeMemo::identify(const ScenarioSpec& spec, const std::string& arm,
                             const std::string& identity) {
  if (entries_->spec != &spec) entries_->identities.clear();
  entries_->spec = &spec;
  entries_->identities[arm] = "#" + identity;
}

std::shared_ptr<const ChallengeMemo::Entries> ChallengeMemo::identified() const {
  auto out = std::make_shared<Entries>();
  for (const auto& [key, windows] : entries_->found)
    if (std::get<0>(key).front() == '#') out->found.emplace(key, windows);
  return out;
}

void ChallengeMemo::seed(const Entries& saved) {
  std::set<std::string> ours;
  for (const auto& [arm, identity] : entries_->identities) ours.insert(identity);
  for (const auto& [key, windows] : saved.found)
    if (ours.count(std::get<0>(key))) entries_->found.emplace(key, windows);
}

namespace {

// Peak agonist occupancy (and when, and the antagonist then) and peak effect of each
// challenge, on the solver's dense output when the arm is one of the scenario's: the run the
// trajectory kept (no simulation), else a new one; an arm the scenario does not describe is
// read off the trajectory's samples.
std::vector<Window> locate(const ScenarioSpec& spec, const Trajectory& tr,
                           const std::vector<PeakWindow>& windows) {
  std::vector<Window> out;
  const Arm* arm = find_scenario_arm(spec, tr.arm);
  if (!arm || windows.empty()) {
    for (const PeakWindow& w : windows) out.push_back(scan(tr, w.t0_h, w.t1_h));
    return out;
  }
  const SampleObservable agonist = [](const Trajectory& t, std::size_t i) {
    return t.agonist_occupancy(i);
  };
  const SampleObservable effect = [](const Trajectory& t, std::size_t i) { return t.effect[i]; };
  std::vector<std::vector<DensePeak>> found;
  if (tr.dense && dense_output_covers(*tr.dense, windows)) {
    found = locate_peaks(*tr.dense, windows, {agonist, effect});
  } else {
    ArmSimulator sim(spec);
    found = locate_peaks(sim, *arm, windows, {agonist, effect});
  }
  for (const auto& f : found) {
    Window w;
    w.peak_occ = f[0].value;
    w.peak_t = f[0].t_h;
    w.antagonist = f[0].at_peak.n_times() ? f[0].at_peak.antagonist_occupancy(0) : 0.0;
    w.peak_effect = f[1].value;
    out.push_back(w);
  }
  return out;
}

// An arm's entries in a memo: its identity when the memo has one for it, else its name.
MemoKey memo_key(const ChallengeMemo::Entries& memo, const ScenarioSpec& spec,
                 const std::string& arm, const std::vector<PeakWindow>& windows) {
  std::vector<std::pair<double, double>> w;
  for (const PeakWindow& x : windows) w.emplace_back(x.t0_h, x.t1_h);
  if (memo.spec == &spec) {
    const auto id = memo.identities.find(arm);
    if (id != memo.identities.end()) return {id->second, w};
  }
  return {"=" + arm, w};
}

// locate(), through the current memo when there is one.
std::vector<Window> peaks(const ScenarioSpec& spec, const Trajectory& tr,
                          const std::vector<PeakWindow>& windows) {
  // Arms the scenario does not describe are read off their samples: cheap, and not known by
  // name alone.
  if (!current_memo || !find_scenario_arm(spec, tr.arm)) return locate(spec, tr, windows);
  auto& found = current_memo->found;
  const MemoKey key = memo_key(*current_memo, spec, tr.arm, windows);
  const auto hit = found.find(key);
  if (hit != found.end()) return hit->second;
  return found.emplace(key, locate(spec, tr, windows)).first->second;
}

}  // namespace

std::vector<ChallengeResult> analyse_challenges(const ScenarioSpec& spec, const Trajectory& arm,
                                                const Trajectory* control, double window_h) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const auto doses = challenge_doses(spec, arm);
  const auto control_doses = control ? challenge_doses(spec, *control) : decltype(doses){};
  const double t_end = spec.grid.t_end_h;
  const std::vector<Window> found = peaks(spec, arm, challenge_windows(doses, window_h, t_end));
  std::vector<Window> control_found;
  if (control && arm.effect_modelled)
    control_found = peaks(spec, *control, challenge_windows(control_doses, window_h, t_end));
  std::vector<ChallengeResult> rows;
  for (std::size_t j = 0; j < doses.size(); ++j) {
    const double t0 = doses[j]->applied_time_h;
    const Window& w = found[j];
    ChallengeResult r;
    r.dose_time_h = t0;
    r.formulation = doses[j]->formulation;
    r.amount_mg = doses[j]->amount_mg;
    r.peak_agonist_occupancy = std::max(w.peak_occ, 0.0);
    r.peak_time_h = w.peak_t;
    r.antagonist_occupancy = w.antagonist;
    r.peak_effect = w.peak_effect;
    r.blockade = nan;
    r.control_peak_effect = nan;
    if (!arm.effect_modelled) {  // no operational effect in this receptor model
      r.peak_effect = nan;
      rows.push_back(r);
      continue;
    }
    for (std::size_t c = 0; c < control_doses.size(); ++c) {
      if (std::abs(control_doses[c]->applied_time_h - t0) > 1e-9) continue;
      r.control_peak_effect = control_found[c].peak_effect;
      if (r.control_peak_effect > 0.0) r.blockade = 1.0 - r.peak_effect / r.control_peak_effect;
    }
    rows.push_back(r);
  }
  return rows;
}

TimeUnit time_unit_for_span(double span_h) {
  if (span_h <= 3.0) return {"min", 1.0 / 60.0};
  if (span_h <= 72.0) return {"h", 1.0};
  return {"d", 24.0};
}

std::string format_challenge_table(const std::string& arm, const std::vector<ChallengeResult>& rows,
                                   double run_span_h) {
  std::string out = "arm " + arm + ": " + std::to_string(rows.size()) + " agonist dose(s)\n";
  if (rows.empty()) return out;
  const TimeUnit unit = time_unit_for_span(run_span_h);
  // No antagonist at the receptor at any peak (a control arm): the column means nothing.
  bool antagonist = false;
  for (const ChallengeResult& r : rows) antagonist = antagonist || r.antagonist_occupancy > 0.0;
  char line[256];
  const std::string time_col = std::string("time_") + unit.name;
  std::snprintf(line, sizeof line, "  %8s %8s  %-22s %10s %11s %12s %10s %9s\n", time_col.c_str(),
                "dose_mg", "formulation", "peak_agon", "to_peak_min", "antagonist", "effect",
                "blockade");
  out += line;
  auto percent = [](double x, int width) {
    char b[32];
    if (std::isnan(x))
      std::snprintf(b, sizeof b, "%*s", width, "-");
    else
      std::snprintf(b, sizeof b, "%*.1f%%", width - 1, 100.0 * x);
    return std::string(b);
  };
  for (const ChallengeResult& r : rows) {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    char to_peak[32];
    if (std::isnan(r.peak_time_h))
      std::snprintf(to_peak, sizeof to_peak, "%11s", "-");
    else
      std::snprintf(to_peak, sizeof to_peak, "%11.1f", 60.0 * (r.peak_time_h - r.dose_time_h));
    std::snprintf(line, sizeof line, "  %8.2f %8.1f  %-22s %s %s %s %s %s\n",
                  r.dose_time_h / unit.hours, r.amount_mg, r.formulation.c_str(),
                  percent(r.peak_agonist_occupancy, 10).c_str(), to_peak,
                  percent(antagonist ? r.antagonist_occupancy : nan, 12).c_str(),
                  percent(r.peak_effect, 10).c_str(), percent(r.blockade, 9).c_str());
    out += line;
  }
  if (std::isnan(rows.front().peak_effect))
    out += "  (effect and blockade: not modelled, the receptor model has no operational effect)\n";
  return out;
}

const Arm* find_scenario_arm(const ScenarioSpec& spec, const std::string& name) {
  for (const Arm& a : spec.arms)
    if (a.name == name) return &a;
  return nullptr;
}

}  // namespace morsim
