// Output grid with dose refinement.
#include "solver/sample_grid.hpp"

#include <algorithm>
#include <cmath>

#include "pk/dose_schedule.hpp"

namespace morsim {

std::vector<double> arm_sample_times(const ScenarioSpec& spec, const Arm& arm) {
  std::vector<double> t = spec.grid.times_h();
  const bool refined = spec.grid.refine_after_doses_h > 0.0 && spec.grid.refine_step_h > 0.0;
  if (!refined && arm.observation_times_h.empty()) return t;
  for (double s : arm.observation_times_h)
    if (s >= spec.grid.t_start_h && s <= spec.grid.t_end_h) t.push_back(s);
  if (refined) {
    const ExpandedSchedule sched = expand_schedule(spec, arm);
    const auto n =
        static_cast<long>(std::floor(spec.grid.refine_after_doses_h / spec.grid.refine_step_h));
    for (const DoseLogEntry& d : sched.log) {
      if (d.status == DoseStatus::kMissed) continue;
      for (long i = 0; i <= n; ++i) {
        const double s = d.applied_time_h + static_cast<double>(i) * spec.grid.refine_step_h;
        if (s >= spec.grid.t_start_h && s <= spec.grid.t_end_h) t.push_back(s);
      }
    }
  }
  std::sort(t.begin(), t.end());
  // Merge samples closer than a millisecond: they come from the same instant.
  std::vector<double> out;
  for (double s : t)
    if (out.empty() || s - out.back() > 1e-6) out.push_back(s);
  return out;
}

double predicted_samples(const ScenarioSpec& spec) {
  const OutputGrid& g = spec.grid;
  const double grid = g.dt_h > 0.0 ? std::floor((g.t_end_h - g.t_start_h) / g.dt_h) + 1.0 : 0.0;
  const bool refined = g.refine_after_doses_h > 0.0 && g.refine_step_h > 0.0;
  const double per_dose =
      refined ? std::floor(g.refine_after_doses_h / g.refine_step_h) + 1.0 : 0.0;
  double total = 0.0;
  for (const Arm& arm : spec.arms) {
    double doses = 0.0;
    for (const DoseRecord& d : arm.doses) doses += d.addl + 1.0;
    total += grid + per_dose * doses + static_cast<double>(arm.observation_times_h.size());
  }
  return total;
}

}  // namespace morsim
