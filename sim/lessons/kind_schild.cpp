// Kind "schild": dose ratios and the Schild regression, from agonist dose-occupancy curves
// simulated at each antagonist level (sim/analysis/lesson_schild.cpp).
#include <cmath>

#include "analysis/lesson_schild.hpp"
#include "lessons/kinds.hpp"

namespace morsim::lessons {

using lesson_text::fmt;
using lesson_text::sig3;

LessonOutput analyse_schild(const ScenarioSpec& spec, const LessonSpec& lesson,
                            const std::vector<Trajectory>&) {
  std::vector<std::string> levels{lesson.arm("control")};
  for (const std::string& a : lesson.arms("treated")) levels.push_back(a);
  const SchildResult r = run_schild(spec, levels);
  LessonOutput out;
  auto& v = out.values;
  const SchildLevel& c = r.levels.front();
  v["agonist"] = r.agonist;
  v["antagonist"] = r.antagonist;
  v["control_ec50"] = sig3(c.ec50_rate_mg_per_day) + " mg/day";
  std::string levels_text;
  for (std::size_t j = 1; j < r.levels.size(); ++j) {
    const SchildLevel& lv = r.levels[j];
    levels_text += (j > 1 ? "; " : "") + sig3(lv.antagonist_brain_nM) +
                   " nM in the brain ([N]/K_N = " + sig3(lv.antagonist_load) + ") it takes " +
                   sig3(lv.ec50_rate_mg_per_day) + " mg/day, a dose ratio of " +
                   sig3(lv.dose_ratio) + " (1 + [N]/K_N = " + sig3(lv.predicted_dose_ratio) + ")";
  }
  v["levels"] = levels_text;
  v["slope"] = fmt("%.3f", r.slope);
  v["pA2"] = fmt("%.2f", r.pa2);
  v["kn_estimate"] = sig3(1e9 * std::pow(10.0, -r.pa2)) + " nM";
  v["kn_model"] = sig3(r.antagonist_kd_nM) + " nM";
  out.root_attributes.push_back({"figure", "schild"});  // the figure script's Schild mode
  out.groups.push_back([r](hid_t file) { write_schild(file, r); });
  return out;
}

}  // namespace morsim::lessons
