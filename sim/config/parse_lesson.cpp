// [lesson]: the kind, its roles (arm names), settings and paragraph template, checked
// against the kind's catalogue entry so that every mistake is a file:line:key error at load.
#include <algorithm>

#include "config/schema.hpp"
#include "lessons/lesson_kind.hpp"
#include "lessons/lesson_template.hpp"

namespace morsim::config {
namespace {

std::vector<std::string> arm_names(const ScenarioSpec& spec) {
  std::vector<std::string> names;
  for (const Arm& a : spec.arms) names.push_back(a.name);
  return names;
}

std::vector<std::string> compound_names(const ScenarioSpec& spec) {
  std::vector<std::string> names;
  for (const Compound& c : spec.compounds) names.push_back(c.name);
  return names;
}

// A string, or an array of strings when `many`; each checked against `known`.
std::vector<std::string> read_names(const Context& ctx, const toml::node& n, const std::string& key,
                                    bool many, const std::vector<std::string>& known,
                                    const char* what) {
  std::vector<const toml::node*> items;
  if (const toml::array* a = n.as_array(); a && many) {
    if (a->empty()) fail(ctx, n, key, std::string("expected at least one ") + what);
    for (std::size_t i = 0; i < a->size(); ++i) items.push_back(a->get(i));
  } else {
    items.push_back(&n);
  }
  std::vector<std::string> out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    const std::string k =
        items.size() > 1 || n.is_array() ? key + "[" + std::to_string(i) + "]" : key;
    const std::string name = read_string(ctx, *items[i], k);
    if (std::find(known.begin(), known.end(), name) == known.end())
      fail(ctx, *items[i], k,
           std::string("no ") + what + " '" + name + "'" + did_you_mean(name, known) +
               " (defined: " + join(known) + ")");
    out.push_back(name);
  }
  return out;
}

double read_number(const Context& ctx, const toml::node& n, const std::string& key) {
  if (const std::optional<double> x = n.value<double>();
      x && (n.is_floating_point() || n.is_integer()))
    return *x;
  fail(ctx, n, key, "expected a number, got a " + std::string(n.is_string() ? "string" : "value"));
}

// Line of the character at `offset` in a string node: multi-line strings drop a newline
// right after the opening quotes, which the node's extent reveals.
int line_of(const toml::node& n, const std::string& text, std::size_t offset) {
  const auto& src = n.source();
  const long newlines = static_cast<long>(std::count(text.begin(), text.end(), '\n'));
  const long dropped = std::max(0L, static_cast<long>(src.end.line - src.begin.line) - newlines);
  return static_cast<int>(src.begin.line + std::min(dropped, 1L) +
                          std::count(text.begin(), text.begin() + static_cast<long>(offset), '\n'));
}

void read_text(const Context& ctx, const toml::node& n, const LessonKind& kind, LessonSpec& out) {
  out.text = read_string(ctx, n, "lesson.text");
  std::vector<Placeholder> holes;
  const Where w = where(ctx, n);
  try {
    holes = template_placeholders(out.text);
  } catch (const std::invalid_argument& e) {
    throw ConfigError(w.file, w.line, "lesson.text", e.what());
  }
  for (const Placeholder& p : holes)
    if (std::find(kind.placeholders.begin(), kind.placeholders.end(), p.name) ==
        kind.placeholders.end())
      throw ConfigError(w.file, line_of(n, out.text, p.offset), "lesson.text",
                        "unknown placeholder {" + p.name + "}" +
                            did_you_mean(p.name, kind.placeholders) + " (kind '" + kind.name +
                            "' fills: " + join(kind.placeholders) + ")");
}

}  // namespace

std::optional<LessonSpec> parse_lesson(Context& ctx, const toml::table& root,
                                       const ScenarioSpec& spec) {
  const toml::table* t = table_at(ctx, root, "lesson", "lesson");
  if (!t) return std::nullopt;
  std::vector<std::string> kind_names;
  for (const LessonKind& k : lesson_kinds()) kind_names.push_back(k.name);
  const toml::node& kn = require(ctx, *t, "kind", "lesson.kind", join(kind_names));
  const std::string kind_name = read_string(ctx, kn, "lesson.kind");
  const LessonKind* kind = find_lesson_kind(kind_name);
  if (!kind)
    fail(ctx, kn, "lesson.kind",
         "unknown lesson kind '" + kind_name + "'" + did_you_mean(kind_name, kind_names) +
             " (allowed: " + join(kind_names) + ")");
  std::vector<std::string> allowed{"kind", "text"};
  for (const LessonRole& r : kind->roles) allowed.push_back(r.key);
  for (const LessonSetting& s : kind->settings) allowed.push_back(s.key);
  check_keys(ctx, *t, "lesson", allowed);

  LessonSpec out;
  out.kind = kind_name;
  const Where w = where(ctx, *t);
  out.file = w.file;
  out.line = w.line;
  const std::vector<std::string> arms = arm_names(spec), compounds = compound_names(spec);
  for (const LessonRole& r : kind->roles) {
    const std::string key = "lesson." + r.key;
    if (const toml::node* n = t->get(r.key))
      out.roles[r.key] = read_names(ctx, *n, key, r.many, arms, "arm");
    else if (r.required)
      fail(ctx, *t, key, "missing (required by kind '" + kind_name + "': " + r.what + ")");
  }
  for (const LessonSetting& s : kind->settings) {
    const toml::node* n = t->get(s.key);
    if (!n) continue;
    const std::string key = "lesson." + s.key;
    switch (s.type) {
      case SettingType::kNumber:
        out.numbers[s.key] = {read_number(ctx, *n, key)};
        break;
      case SettingType::kNumbers: {
        const toml::array* a = n->as_array();
        if (!a) fail(ctx, *n, key, "expected an array of numbers, e.g. [1, 7, 14]");
        for (std::size_t i = 0; i < a->size(); ++i)
          out.numbers[s.key].push_back(
              read_number(ctx, *a->get(i), key + "[" + std::to_string(i) + "]"));
        break;
      }
      case SettingType::kCompound:
      case SettingType::kCompounds:
        out.compounds[s.key] =
            read_names(ctx, *n, key, s.type == SettingType::kCompounds, compounds, "compound");
        break;
    }
  }
  read_text(ctx, require(ctx, *t, "text", "lesson.text", "the paragraph, with {placeholders}"),
            *kind, out);
  return out;
}

}  // namespace morsim::config
