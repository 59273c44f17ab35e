#include "lessons/describe_lesson.hpp"

#include <algorithm>
#include <sstream>

#include "analysis/lesson_text.hpp"
#include "lessons/lesson_kind.hpp"
#include "lessons/lesson_template.hpp"

namespace morsim {
namespace {

std::string joined(const std::vector<std::string>& items) {
  std::string s;
  for (const std::string& i : items) s += (s.empty() ? "" : ", ") + i;
  return s;
}

std::string numbers_text(const std::vector<double>& v) {
  std::vector<std::string> parts;
  for (double x : v) parts.push_back(lesson_text::fmt("%g", x));
  return v.size() == 1 ? parts.front() : "[" + joined(parts) + "]";
}

// The setting as the table gives it; "" when it is not given.
std::string given(const LessonSpec& lesson, const LessonSetting& s) {
  if (const auto n = lesson.numbers.find(s.key); n != lesson.numbers.end())
    return numbers_text(n->second);
  if (const auto c = lesson.compounds.find(s.key); c != lesson.compounds.end())
    return joined(c->second);
  return "";
}

}  // namespace

std::string describe_lesson(const ScenarioSpec& spec) {
  if (!spec.lesson) return "";
  const LessonSpec& lesson = *spec.lesson;
  std::ostringstream os;
  const LessonKind* kind = find_lesson_kind(lesson.kind);
  os << "\nLesson: kind " << lesson.kind;
  if (kind) os << ", " << kind->what;
  os << "\n";
  if (kind) {
    os << "  Roles:\n";
    for (const LessonRole& r : kind->roles) {
      const std::vector<std::string>& arms = lesson.arms(r.key);
      os << "    " << r.key << " = " << (arms.empty() ? "(not given)" : joined(arms)) << ": "
         << r.what << "\n";
    }
    if (!kind->settings.empty()) os << "  Settings:\n";
    for (const LessonSetting& s : kind->settings) {
      const std::string v = given(lesson, s);
      os << "    " << s.key << " = " << (v.empty() ? "(not given)" : v) << ": " << s.what << "\n";
    }
  }
  std::vector<std::string> used;
  for (const Placeholder& p : template_placeholders(lesson.text))
    if (std::find(used.begin(), used.end(), p.name) == used.end()) used.push_back(p.name);
  os << "  Paragraph numbers: ";
  for (std::size_t i = 0; i < used.size(); ++i) os << (i ? ", " : "") << "{" << used[i] << "}";
  os << (used.empty() ? "(none)\n" : "\n");
  return os.str();
}

}  // namespace morsim
