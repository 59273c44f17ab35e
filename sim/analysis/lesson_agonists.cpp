// Occupancy versus effect: naltrexone takes the receptors and gives nothing, buprenorphine
// takes them and gives a ceiling, methadone gives the effect itself.
#include "analysis/lesson_agonists.hpp"

#include <algorithm>
#include <set>

#include "analysis/challenges.hpp"
#include "analysis/dense_peak.hpp"
#include "model/dense_output.hpp"
#include "solver/arm_simulator.hpp"

namespace morsim {
namespace {

// The compound and everything it is metabolised into.
std::set<std::string> formed_from(const ScenarioSpec& spec, const std::string& compound) {
  std::set<std::string> out;
  std::vector<std::string> todo{compound};
  while (!todo.empty()) {
    const std::string name = todo.back();
    todo.pop_back();
    if (!out.insert(name).second) continue;
    if (const Compound* c = spec.find_compound(name))
      for (const MetaboliteLink& m : c->metabolites) todo.push_back(m.metabolite);
  }
  return out;
}

// What the arm holds when the challenge comes, and the challenge's peaks after it, on the
// solver's dense output, so that none of them depends on the output grid.
// `tr` is the trajectory of `arm`: its kept run, when it has one, is read instead of simulating.
void on_dense_output(const ScenarioSpec& spec, const Arm& arm, const Trajectory& tr,
                     const std::set<std::string>& own, ChallengeOnTop& r) {
  ArmSimulator sim(spec);
  const bool kept =
      tr.dense && dense_output_covers(*tr.dense, {{r.challenge_time_h, r.challenge_time_h}});
  const Trajectory at =
      kept ? tr.dense->sample({r.challenge_time_h}) : sim.simulate(arm, {r.challenge_time_h});
  for (std::size_t k = 0; k < at.n_compounds(); ++k)
    if (at.binds_receptor[k] && !own.count(at.compounds[k]))
      r.maintenance_occupancy += at.occ(0, k);
  r.effect_before = at.effect[0];
  const SampleObservable own_occupancy = [&own](const Trajectory& t, std::size_t i) {
    double occ = 0.0;
    for (std::size_t k = 0; k < t.n_compounds(); ++k)
      if (own.count(t.compounds[k])) occ += t.occ(i, k);
    return occ;
  };
  const SampleObservable effect = [](const Trajectory& t, std::size_t i) { return t.effect[i]; };
  const double t_end = std::max(spec.grid.t_end_h, r.challenge_time_h);
  const auto found =
      locate_peaks(tr, sim, arm, {{r.challenge_time_h, t_end}}, {own_occupancy, effect});
  r.challenge_peak_occupancy = std::max(found[0][0].value, 0.0);
  r.challenge_peak_time_h = found[0][0].t_h;
  r.peak_effect = std::max(found[0][1].value, r.effect_before);
}

}  // namespace

std::vector<ChallengeOnTop> analyse_challenge_on_top(const ScenarioSpec& spec,
                                                     const std::vector<Trajectory>& arms) {
  std::vector<ChallengeOnTop> out;
  for (const Trajectory& tr : arms) {
    const DoseLogEntry* challenge = nullptr;
    for (const DoseLogEntry& d : tr.doses)
      if (d.status != DoseStatus::kMissed && produces_agonist(spec, d.compound) &&
          (!challenge || d.applied_time_h >= challenge->applied_time_h))
        challenge = &d;
    if (!challenge || tr.n_times() == 0) continue;
    const std::set<std::string> own = formed_from(spec, challenge->compound);
    ChallengeOnTop r;
    r.arm = tr.arm;
    r.challenge = challenge->compound;
    r.challenge_time_h = challenge->applied_time_h;
    for (const DoseLogEntry& d : tr.doses)
      if (!own.count(d.compound) && r.maintenance.find(d.compound) == std::string::npos)
        r.maintenance += (r.maintenance.empty() ? "" : ", ") + d.compound;
    if (const Arm* arm = find_scenario_arm(spec, tr.arm)) {
      on_dense_output(spec, *arm, tr, own, r);
      out.push_back(r);
      continue;
    }
    // An arm the scenario does not describe: what it holds at the last sample at or before
    // the challenge.
    std::size_t i0 = 0;
    for (std::size_t i = 0; i < tr.n_times(); ++i)
      if (tr.t_h[i] <= r.challenge_time_h) i0 = i;
    for (std::size_t k = 0; k < tr.n_compounds(); ++k)
      if (tr.binds_receptor[k] && !own.count(tr.compounds[k]))
        r.maintenance_occupancy += tr.occ(i0, k);
    r.effect_before = tr.effect[i0];
    for (std::size_t i = i0; i < tr.n_times(); ++i) {
      double occ = 0.0;
      for (std::size_t k = 0; k < tr.n_compounds(); ++k)
        if (own.count(tr.compounds[k])) occ += tr.occ(i, k);
      if (occ > r.challenge_peak_occupancy)
        r.challenge_peak_occupancy = occ, r.challenge_peak_time_h = tr.t_h[i];
      r.peak_effect = std::max(r.peak_effect, tr.effect[i]);
    }
    out.push_back(r);
  }
  return out;
}

}  // namespace morsim
