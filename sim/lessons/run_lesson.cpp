#include "lessons/run_lesson.hpp"

#include "io/h5_handle.hpp"
#include "io/h5_write.hpp"
#include "lessons/lesson_template.hpp"
#include "model/errors.hpp"

namespace morsim {

LessonResult run_lesson(const ScenarioSpec& spec, const std::vector<Trajectory>& arms) {
  const LessonSpec& lesson = *spec.lesson;
  const LessonKind* kind = find_lesson_kind(lesson.kind);
  if (!kind) throw ModelError("no lesson kind '" + lesson.kind + "'");  // checked at load
  LessonResult r;
  r.output = kind->analyse(spec, lesson, arms);
  r.paragraph = fill_template(lesson.text, r.output.values);
  // Every number of the paragraph, also as text, so a reader need not parse the prose.
  r.output.groups.push_back([lesson, paragraph = r.paragraph, values = r.output.values](hid_t f) {
    H5Id g = create_group(f, "lesson");
    write_attr(g.get(), "kind", lesson.kind);
    write_attr(g.get(), "paragraph", paragraph);
    write_attr(g.get(), "template", lesson.text);
    H5Id roles = create_group(g.get(), "roles");
    for (const auto& [role, names] : lesson.roles) write_attr(roles.get(), role, names);
    roles.close("close /lesson/roles");
    H5Id vals = create_group(g.get(), "values");
    for (const auto& [name, text] : values) write_attr(vals.get(), name, text);
    vals.close("close /lesson/values");
    g.close("close /lesson");
  });
  return r;
}

}  // namespace morsim
