#include <cmath>

#include "lessons/kinds.hpp"
#include "model/errors.hpp"

namespace morsim::lessons {

using lesson_text::fmt;

const Trajectory& arm_named(const std::vector<Trajectory>& arms, const std::string& name) {
  for (const Trajectory& t : arms)
    if (t.arm == name) return t;
  throw ModelError("lesson: no arm '" + name + "' in the run");
}

std::string day(double t_h) { return fmt("%.1f", t_h / 24.0); }
std::string mg(double amount_mg) { return fmt("%.0f mg", amount_mg); }
std::string minutes(double t_h) { return std::isnan(t_h) ? "never" : fmt("%.1f min", 60.0 * t_h); }

std::string join_list(const std::vector<std::string>& items) {
  std::string s;
  for (std::size_t i = 0; i < items.size(); ++i)
    s += (i == 0 ? "" : i + 1 == items.size() ? " and " : ", ") + items[i];
  return s;
}

}  // namespace morsim::lessons
