// Fixed-width columns, one row per arm.
#include "population/population_summary.hpp"

#include <cmath>
#include <cstdio>

#include "analysis/challenges.hpp"

namespace morsim::population {

std::string format_population_summary(const PopulationSpec& ps, const PopulationResult& r) {
  std::string out;
  char line[256];
  std::snprintf(line, sizeof line, "%llu subjects per arm, seed %llu, %u threads, %.1f s\n",
                static_cast<unsigned long long>(ps.subjects),
                static_cast<unsigned long long>(ps.seed), r.threads, r.seconds);
  out += line;
  std::snprintf(line, sizeof line, "%-14s %10s %10s %9s %10s %12s %14s\n", "arm", "protected",
                "doses", "uses", "rewarding", "any reward", "median first");
  out += line;
  // The median's unit is the run table's for the study's span, so a short study reads in hours.
  const TimeUnit u = time_unit_for_span(ps.scenario.grid.t_end_h - ps.scenario.grid.t_start_h);
  const std::string reward_col = std::string("reward (") + u.name + ")";
  std::snprintf(line, sizeof line, "%-14s %10s %10s %9s %10s %12s %14s\n", "", "days", "taken",
                "/subject", "/subject", "subjects", reward_col.c_str());
  out += line;
  for (const ArmPopulation& a : r.arms) {
    const ArmOutcomes& o = a.outcomes;
    char first[32];
    if (std::isnan(o.median_time_to_first_rewarding_use_h))
      std::snprintf(first, sizeof first, "not reached");
    else
      std::snprintf(first, sizeof first, "%.1f", o.median_time_to_first_rewarding_use_h / u.hours);
    std::snprintf(line, sizeof line, "%-14s %9.1f%% %9.1f%% %9.1f %10.2f %11.1f%% %14s\n",
                  a.name.c_str(), 100 * o.mean_protected_day_fraction,
                  100 * o.mean_doses_taken_fraction, o.mean_heroin_uses, o.mean_rewarding_uses,
                  100 * o.fraction_with_rewarding_use, first);
    out += line;
  }
  return out;
}

}  // namespace morsim::population
