// Every number in the paragraph is read from the result; the wording adapts to which arm
// protects more.
#include "population/population_lesson.hpp"

#include <cmath>
#include <cstdio>

#include "analysis/challenges.hpp"

namespace morsim {

namespace {

std::string pct(double f) {
  char b[32];
  std::snprintf(b, sizeof b, "%.0f%%", 100.0 * f);
  return b;
}

std::string num(double v, const char* fmt = "%.1f") {
  char b[32];
  std::snprintf(b, sizeof b, fmt, v);
  return b;
}

// In the unit of the summary table's column (time_unit_for_span of the study).
std::string first_reward(const population::ArmOutcomes& o, const TimeUnit& u) {
  if (std::isnan(o.median_time_to_first_rewarding_use_h)) return "fewer than half ever had one";
  const std::string t = num(o.median_time_to_first_rewarding_use_h / u.hours);
  if (std::string(u.name) == "d") return "half had had one by day " + t;
  return "half had had one within " + t + " " + u.name;
}

}  // namespace

std::string population_lesson_paragraph(const population::PopulationSpec& ps,
                                        const population::PopulationResult& r) {
  if (r.arms.empty()) return "";
  const double span_h = ps.scenario.grid.t_end_h - ps.scenario.grid.t_start_h;
  const double weeks = span_h / 168.0;
  const TimeUnit unit = time_unit_for_span(span_h);
  std::string s = "Lesson: tablets against the depot in real life. " +
                  num(static_cast<double>(ps.subjects), "%.0f") + " virtual patients per arm, " +
                  num(weeks, "%.0f") +
                  " weeks, each with their own clearance, volume and weight and their own way "
                  "of missing doses. ";
  for (const population::ArmPopulation& a : r.arms) {
    const population::ArmOutcomes& o = a.outcomes;
    s += "In the " + a.name + " arm " + pct(o.mean_doses_taken_fraction) +
         " of the planned naltrexone doses were taken and " + pct(o.mean_protected_day_fraction) +
         " of days stayed above " + pct(ps.blocked_occupancy) +
         " antagonist occupancy (median patient " + pct(o.median_protected_day_fraction) +
         "); of " + num(o.mean_heroin_uses) + " heroin uses per patient " +
         num(o.mean_rewarding_uses) +
         " reached a rewarding effect (>= " + pct(ps.rewarding_effect) + " of the maximum), and " +
         first_reward(o, unit) + ". ";
  }
  if (r.arms.size() >= 2) {
    const population::ArmPopulation *best = &r.arms[0], *worst = &r.arms[0];
    for (const population::ArmPopulation& a : r.arms) {
      if (a.outcomes.mean_protected_day_fraction > best->outcomes.mean_protected_day_fraction)
        best = &a;
      if (a.outcomes.mean_protected_day_fraction < worst->outcomes.mean_protected_day_fraction)
        worst = &a;
    }
    s += "With the same patients and the same heroin use, the " + best->name + " arm kept " +
         pct(best->outcomes.mean_protected_day_fraction) + " of days protected against " +
         pct(worst->outcomes.mean_protected_day_fraction) + " for " + worst->name + ", and let " +
         num(best->outcomes.mean_rewarding_uses) + " rather than " +
         num(worst->outcomes.mean_rewarding_uses) +
         " rewarding uses per patient through: a missed tablet lets the block fall within a day, "
         "a late injection only stretches the tail of the last one. The bands (5-95th "
         "percentile of patients) show how differently one regimen plays out in different "
         "people.";
  }
  return s;
}

}  // namespace morsim
