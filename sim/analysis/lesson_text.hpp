// Number formatting shared by the lesson paragraphs.
#pragma once

#include <cmath>
#include <cstdio>
#include <string>

namespace morsim::lesson_text {

inline std::string fmt(const char* f, double a) {
  char b[64];
  std::snprintf(b, sizeof b, f, a);
  return b;
}
inline std::string pct(double x) { return std::isnan(x) ? "-" : fmt("%.0f%%", 100.0 * x); }
// Three significant digits, without exponent for the ranges the lessons print.
inline std::string sig3(double x) { return fmt("%.3g", x); }

}  // namespace morsim::lesson_text
