// The [lesson] table of a scenario: which analysis (kind) reads the run, which arms play
// which role in it, its settings, and the paragraph as a template (docs/teaching.md).
#pragma once

#include <map>
#include <string>
#include <vector>

namespace morsim {

struct LessonSpec {
  std::string kind;  // a name from lesson_kinds() (sim/lessons/lesson_kind.hpp)
  // Role -> arm names, e.g. "control" -> {"control"}, "treated" -> {"naltrexone"}.
  std::map<std::string, std::vector<std::string>> roles;
  std::map<std::string, std::vector<double>> numbers;         // settings: thresholds, days, hours
  std::map<std::string, std::vector<std::string>> compounds;  // settings naming compounds
  std::string text;  // the paragraph, with {placeholder}s the analysis fills
  std::string file;  // where the table was read, for messages
  int line = 0;

  const std::vector<std::string>& arms(const std::string& role) const;
  // The first arm of a role ("" when the role is absent).
  std::string arm(const std::string& role) const;
  double number(const std::string& key, double fallback) const;
  std::vector<double> list(const std::string& key, std::vector<double> fallback) const;
};

}  // namespace morsim
