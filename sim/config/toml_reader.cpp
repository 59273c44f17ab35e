// Reading TOML nodes into checked values; every failure names file, line and key.
#include "config/toml_reader.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "config/toml_shape.hpp"

namespace morsim::config {
namespace {

std::string type_name(const toml::node& n) {
  std::ostringstream os;
  os << n.type();
  return os.str();
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diag = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t up = row[j];
      const bool same = std::tolower(static_cast<unsigned char>(a[i - 1])) ==
                        std::tolower(static_cast<unsigned char>(b[j - 1]));
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (same ? 0 : 1)});
      diag = up;
    }
  }
  return row[b.size()];
}

std::string range_text(Range r) {
  switch (r) {
    case Range::kPositive:
      return "> 0";
    case Range::kNonNegative:
      return ">= 0";
    case Range::kUnitInterval:
      return "a fraction in [0, 1]";
    case Range::kAny:
      break;
  }
  return "any value";
}

bool in_range(double v, Range r) {
  switch (r) {
    case Range::kPositive:
      return v > 0.0;
    case Range::kNonNegative:
      return v >= 0.0;
    case Range::kUnitInterval:
      return v >= 0.0 && v <= 1.0;
    case Range::kAny:
      break;
  }
  return true;
}

}  // namespace

toml::table parse_config_toml(const std::string& text, const std::string& display) {
  check_toml_shape(text, display);
  try {
    return toml::parse(text, display);
  } catch (const toml::parse_error& e) {
    throw ConfigError(display, static_cast<int>(e.source().begin.line), "(syntax)",
                      "not valid TOML: " + std::string(e.description()) + " (column " +
                          std::to_string(e.source().begin.column) + ")");
  }
}

Where where(const Context& ctx, const toml::node& n) {
  if (auto it = ctx.overridden.find(&n); it != ctx.overridden.end()) return it->second.where;
  const toml::source_region& src = n.source();
  return {src.path ? *src.path : std::string("<unknown>"), static_cast<int>(src.begin.line)};
}

void fail(const Context& ctx, const toml::node& n, const std::string& key,
          const std::string& problem) {
  Where w = where(ctx, n);
  throw ConfigError(w.file, w.line, key, problem);
}

std::string closest(std::string_view word, const std::vector<std::string>& candidates) {
  std::string best;
  std::size_t best_d = std::max<std::size_t>(2, word.size() / 3) + 1;
  for (const std::string& c : candidates) {
    const std::size_t d = edit_distance(word, c);
    if (d < best_d) best_d = d, best = c;
  }
  return best;
}

std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates) {
  const std::string c = closest(word, candidates);
  return c.empty() ? "" : " (did you mean '" + c + "'?)";
}

std::string join(const std::vector<std::string>& items, const char* sep) {
  std::string s;
  for (const std::string& x : items) s += (s.empty() ? "" : sep) + x;
  return s;
}

void check_keys(const Context& ctx, const toml::table& t, const std::string& path,
                const std::vector<std::string>& allowed) {
  for (const auto& [k, v] : t) {
    const std::string key(k.str());
    if (std::find(allowed.begin(), allowed.end(), key) != allowed.end()) continue;
    const std::string full = path.empty() ? key : path + "." + key;
    fail(ctx, v, full,
         "unknown key '" + key + "'" + did_you_mean(key, allowed) + " (allowed: " + join(allowed) +
             ")");
  }
}

const toml::table* table_at(const Context& ctx, const toml::table& t, std::string_view key,
                            const std::string& path) {
  const toml::node* n = t.get(key);
  if (!n) return nullptr;
  if (!n->is_table()) fail(ctx, *n, path, "expected a table, got a " + type_name(*n));
  return n->as_table();
}

const toml::array* array_at(const Context& ctx, const toml::table& t, std::string_view key,
                            const std::string& path) {
  const toml::node* n = t.get(key);
  if (!n) return nullptr;
  if (!n->is_array()) fail(ctx, *n, path, "expected an array, got a " + type_name(*n));
  return n->as_array();
}

const toml::node& require(const Context& ctx, const toml::table& t, std::string_view key,
                          const std::string& path, const std::string& allowed) {
  const toml::node* n = t.get(key);
  if (!n) fail(ctx, t, path, "missing (required: " + allowed + ")");
  return *n;
}

const toml::table& as_table(const Context& ctx, const toml::node& n, const std::string& key) {
  if (!n.is_table()) fail(ctx, n, key, "expected a table, got a " + type_name(n));
  return *n.as_table();
}

std::string read_string(const Context& ctx, const toml::node& n, const std::string& key) {
  if (const auto* s = n.as_string()) return s->get();
  fail(ctx, n, key, "expected a string, got a " + type_name(n));
}

long read_int(const Context& ctx, const toml::node& n, const std::string& key, long min) {
  const auto* i = n.as_integer();
  if (!i) fail(ctx, n, key, "expected an integer, got a " + type_name(n));
  if (i->get() < min)
    fail(ctx, n, key,
         "got " + std::to_string(i->get()) + " (allowed: an integer >= " + std::to_string(min) +
             ")");
  return static_cast<long>(i->get());
}

bool read_bool(const Context& ctx, const toml::node& n, const std::string& key) {
  if (const auto* b = n.as_boolean()) return b->get();
  fail(ctx, n, key, "expected true or false, got a " + type_name(n));
}

bool read_flag(Context& ctx, const toml::node& n, const std::string& key,
               const std::string& param) {
  std::string source;
  if (const auto* t = n.as_table()) {
    check_keys(ctx, *t, key, {"value", "source"});
    require(ctx, *t, "value", key + ".value", "true or false");
    if (const toml::node* s = t->get("source")) source = read_string(ctx, *s, key + ".source");
  }
  const toml::node& v = value_node(n);
  const bool b = read_bool(ctx, v, key);
  ctx.sources.push_back({param, b ? "true" : "false", source, false});
  return b;
}

const toml::node& value_node(const toml::node& n) {
  if (const auto* t = n.as_table())
    if (const toml::node* v = t->get("value")) return *v;
  return n;
}

double read_quantity(Context& ctx, const toml::node& n, const std::string& key,
                     const std::string& param, const ExpectedDimension& expected, Range range) {
  std::string source;
  if (const auto* t = n.as_table()) {
    check_keys(ctx, *t, key, {"value", "source"});
    require(ctx, *t, "value", key + ".value", "a value with its unit");
    if (const toml::node* s = t->get("source")) source = read_string(ctx, *s, key + ".source");
  }
  const toml::node& v = value_node(n);
  std::string text;
  if (const auto* s = v.as_string()) {
    text = s->get();
  } else if (const auto* i = v.as_integer()) {
    text = std::to_string(i->get());
  } else if (const auto* f = v.as_floating_point()) {
    text = format_number(f->get());
  } else {
    fail(ctx, v, key,
         "expected a quantity like \"1 " + expected.internal_unit() + "\", got a " + type_name(v));
  }
  double x = 0.0;
  try {
    x = parse_quantity(text, expected);
  } catch (const UnitError& e) {
    fail(ctx, v, key, e.what());
  }
  if (!in_range(x, range))
    fail(ctx, v, key,
         "got " + text + " (allowed: " + expected.name() + " " + range_text(range) + ")");
  if (!param.empty()) {
    ParameterSource ps{param, text, source, false};
    if (auto it = ctx.overridden.find(&v); it != ctx.overridden.end()) {
      ps.overridden = true;
      ps.source = "override '" + it->second.text + "' (" + it->second.where.file + ":" +
                  std::to_string(it->second.where.line) + ")" +
                  (source.empty() ? "" : "; model source: " + source);
    }
    ctx.sources.push_back(std::move(ps));
  }
  return x;
}

}  // namespace morsim::config
