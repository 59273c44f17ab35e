#include "model/lesson_spec.hpp"

namespace morsim {

const std::vector<std::string>& LessonSpec::arms(const std::string& role) const {
  static const std::vector<std::string> none;
  const auto it = roles.find(role);
  return it == roles.end() ? none : it->second;
}

std::string LessonSpec::arm(const std::string& role) const {
  const std::vector<std::string>& a = arms(role);
  return a.empty() ? "" : a.front();
}

double LessonSpec::number(const std::string& key, double fallback) const {
  const auto it = numbers.find(key);
  return it == numbers.end() || it->second.empty() ? fallback : it->second.front();
}

std::vector<double> LessonSpec::list(const std::string& key, std::vector<double> fallback) const {
  const auto it = numbers.find(key);
  return it == numbers.end() ? fallback : it->second;
}

}  // namespace morsim
