// Occupancy versus effect: naltrexone takes the receptors and gives nothing, buprenorphine
// takes them and gives a ceiling, methadone gives the effect itself.
#include "analysis/lesson_agonists.hpp"

#include <algorithm>
#include <set>

#include "analysis/challenges.hpp"
#include "analysis/lesson_text.hpp"

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
    r.challenge_time_h = challenge->applied_time_h;
    for (const DoseLogEntry& d : tr.doses)
      if (!own.count(d.compound) && r.maintenance.find(d.compound) == std::string::npos)
        r.maintenance += (r.maintenance.empty() ? "" : ", ") + d.compound;
    // The last sample at or before the challenge: what the arm holds when heroin arrives.
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
      r.challenge_peak_occupancy = std::max(r.challenge_peak_occupancy, occ);
      r.peak_effect = std::max(r.peak_effect, tr.effect[i]);
    }
    out.push_back(r);
  }
  return out;
}

std::string agonist_vs_antagonist_paragraph(const ScenarioSpec& spec,
                                            const std::vector<Trajectory>& arms) {
  using lesson_text::pct;
  const auto rows = analyse_challenge_on_top(spec, arms);
  if (rows.empty()) return "";
  std::string s = "Lesson: agonist versus antagonist maintenance. ";
  for (const ChallengeOnTop& r : rows) {
    if (r.maintenance.empty()) {
      s += "Without maintenance heroin takes " + pct(r.challenge_peak_occupancy) +
           " of the receptors and gives " + pct(r.peak_effect) + " of the maximal effect. ";
      continue;
    }
    s += "On " + r.maintenance + ", when heroin comes (day " +
         lesson_text::fmt("%.1f", r.challenge_time_h / 24.0) + "), the drug holds " +
         pct(r.maintenance_occupancy) + " of the receptors and itself gives " +
         pct(r.effect_before) + " effect; heroin then takes " + pct(r.challenge_peak_occupancy) +
         " and raises the effect to " + pct(r.peak_effect) + " (+" + pct(r.increment()) + "). ";
  }
  s += "Occupancy is not effect: naltrexone holds the receptors and gives nothing, so the reward "
       "is removed (and with it any relief of craving or withdrawal); buprenorphine holds them "
       "too but, as a partial agonist, gives only a capped effect and leaves heroin little "
       "room; methadone, a full agonist, gives nearly the whole effect itself, so heroin adds "
       "little even where it displaces methadone. The agonists replace heroin; the antagonist "
       "blocks it. (The model has no tolerance: in patients the maintenance dose itself feels "
       "ordinary.)";
  return s;
}

}  // namespace morsim
