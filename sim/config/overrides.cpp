// Override paths: <compound>.<param>, <formulation>.<param>, <formulation>.<phase>.<param>,
// receptor.<param>; indexed forms such as naltrexone.peripheral[0].volume are accepted too.
#include "config/overrides.hpp"

#include <algorithm>
#include <functional>
#include <sstream>

#include "config/schema.hpp"

namespace morsim::config {
namespace {

// Keys that are alternatives for one quantity: setting one removes the others.
const std::vector<std::vector<std::string>> kAlternatives{
    {"elimination_rate", "clearance", "half_life"}, {"ke0", "ke0_half_life"}, {"kon", "ki"}};

bool contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

[[noreturn]] void fail_at(const OverrideOrigin& o, const std::string& path,
                          const std::string& what) {
  throw ConfigError(o.where.file, o.where.line, path, what);
}

void erase_alternatives(toml::table& t, const std::string& key) {
  for (const auto& group : kAlternatives)
    if (contains(group, key))
      for (const std::string& other : group)
        if (other != key) t.erase(other);
}

// Replaces the leaf `key` of `t` (inside a {value, source} table when there is one).
toml::node* set_leaf(toml::table& t, const std::string& key, const toml::node& value) {
  toml::table* target = &t;
  std::string target_key = key;
  if (toml::node* existing = t.get(key))
    if (toml::table* vt = existing->as_table(); vt && vt->contains("value")) {
      target = vt;
      target_key = "value";
    }
  value.visit([&](const auto& v) { target->insert_or_assign(target_key, v); });
  return target->get(target_key);
}

// Walks "a.b[2].c" below `t`; the last component may be a new key of an existing table.
toml::node* set_path(toml::table& t, const std::string& rel, const toml::node& value) {
  toml::node* cur = &t;
  std::size_t pos = 0;
  while (pos <= rel.size()) {
    const std::size_t dot = rel.find('.', pos);
    std::string part = rel.substr(pos, dot == std::string::npos ? std::string::npos : dot - pos);
    const bool last = dot == std::string::npos;
    long index = -1;
    if (const std::size_t b = part.find('['); b != std::string::npos && part.back() == ']') {
      try {
        index = std::stol(part.substr(b + 1, part.size() - b - 2));
      } catch (const std::exception&) {
        return nullptr;
      }
      part = part.substr(0, b);
    }
    toml::table* tab = cur->as_table();
    if (!tab) return nullptr;
    if (last && index < 0) return set_leaf(*tab, part, value);
    toml::node* next = tab->get(part);
    if (!next) return nullptr;
    if (index >= 0) {
      toml::array* arr = next->as_array();
      if (!arr || index >= static_cast<long>(arr->size())) return nullptr;
      if (last) {
        toml::node* el = arr->get(static_cast<std::size_t>(index));
        if (toml::table* vt = el->as_table(); vt && vt->contains("value"))
          return set_leaf(*vt, "value", value);
        const auto it = arr->begin() + index;
        value.visit([&](const auto& v) { arr->replace(it, v); });
        return arr->get(static_cast<std::size_t>(index));
      }
      next = arr->get(static_cast<std::size_t>(index));
    }
    cur = next;
    pos = dot + 1;
  }
  return nullptr;
}

toml::table& section(toml::table& owner, const char* name) {
  if (!owner.contains(name)) owner.insert(name, toml::table{});
  return *owner.get(name)->as_table();
}

toml::node* override_compound(toml::table& c, const std::string& rest, const toml::node& value) {
  const auto leaf = [&](toml::table& sec) {
    erase_alternatives(sec, rest);
    return set_leaf(sec, rest, value);
  };
  if (rest == "molar_mass") return set_leaf(c, rest, value);
  if (contains(kPkKeys, rest) && rest != "peripheral" && rest != "metabolites")
    return leaf(section(c, "pk"));
  if (contains(kBrainKeys, rest)) return leaf(section(c, "brain"));
  if (contains(kBindingKeys, rest)) return leaf(section(c, "binding"));
  if (rest.rfind("peripheral[", 0) == 0 || rest.rfind("metabolites[", 0) == 0)
    return c.contains("pk") ? set_path(*c.get("pk")->as_table(), rest, value) : nullptr;
  return nullptr;
}

toml::node* override_formulation(toml::table& f, const std::string& rest, const toml::node& value) {
  if (rest == "bioavailability" || rest == "dosed_molar_mass") return set_leaf(f, rest, value);
  if (rest.rfind("first_pass[", 0) == 0) return set_path(f, rest, value);
  const std::size_t dot = rest.find('.');
  if (dot == std::string::npos) return nullptr;
  const std::string phase = rest.substr(0, dot), key = rest.substr(dot + 1);
  toml::array* phases = f.get("phase") ? f.get("phase")->as_array() : nullptr;
  if (!phases) return nullptr;
  for (std::size_t i = 0; i < phases->size(); ++i) {
    toml::table* pt = phases->get(i)->as_table();
    if (!pt) continue;
    const toml::node* nn = pt->get("name");
    const std::string name =
        nn && nn->is_string() ? nn->as_string()->get() : "phase" + std::to_string(i);
    if (name != phase) continue;
    const std::string base = key.substr(0, key.find('['));
    if (!contains(kPhaseKeys, base) || base == "name") return nullptr;
    return set_path(*pt, key, value);
  }
  return nullptr;
}

std::vector<std::string> parameter_names(const OverrideTargets& t) {
  std::vector<std::string> out;
  for (const auto& [name, tab] : t.compounds) {
    (void)tab;
    for (const char* p :
         {"molar_mass", "central_volume", "elimination_rate", "clearance", "half_life", "ke0",
          "ke0_half_life", "partition", "kon", "ki", "koff", "hill", "tau"})
      out.push_back(name + "." + p);
  }
  for (const auto& [name, tab] : t.formulations) {
    (void)tab;
    out.push_back(name + ".bioavailability");
    out.push_back(name + ".dosed_molar_mass");
  }
  out.push_back("receptor.transducer_slope");
  return out;
}

}  // namespace

void apply_override(Context& ctx, OverrideTargets& targets, const std::string& path,
                    const toml::node& value, const OverrideOrigin& origin) {
  const std::size_t dot = path.find('.');
  toml::node* placed = nullptr;
  if (dot != std::string::npos) {
    const std::string owner = path.substr(0, dot), rest = path.substr(dot + 1);
    if (auto c = targets.compounds.find(owner); c != targets.compounds.end())
      placed = override_compound(*c->second, rest, value);
    else if (auto f = targets.formulations.find(owner); f != targets.formulations.end())
      placed = override_formulation(*f->second, rest, value);
    else if (owner == "receptor" && rest == "transducer_slope" && targets.receptor)
      placed = set_leaf(*targets.receptor, rest, value);
  }
  if (!placed)
    fail_at(origin, path,
            "no parameter with this path" + did_you_mean(path, parameter_names(targets)) +
                " (allowed: <compound>.<param>, <formulation>.<param>, "
                "<formulation>.<phase>.<param>, receptor.transducer_slope)");
  ctx.overridden[placed] = origin;
  if (const toml::array* arr = placed->as_array())  // e.g. a whole transit list
    for (const toml::node& el : *arr) ctx.overridden[&el] = origin;
}

void apply_override_table(Context& ctx, OverrideTargets& targets, const toml::table& overrides) {
  const std::function<void(const toml::table&, const std::string&)> walk =
      [&](const toml::table& t, const std::string& prefix) {
        for (const auto& [k, v] : t) {
          const std::string path =
              prefix.empty() ? std::string(k.str()) : prefix + "." + std::string(k.str());
          if (const toml::table* sub = v.as_table(); sub && !sub->contains("value")) {
            walk(*sub, path);
            continue;
          }
          std::ostringstream shown;
          shown << path << " = ";
          value_node(v).visit([&](const auto& x) { shown << x; });
          apply_override(ctx, targets, path, v, {where(ctx, v), shown.str()});
        }
      };
  walk(overrides, "");
}

void apply_command_line_override(Context& ctx, OverrideTargets& targets, const std::string& text) {
  const std::size_t eq = text.find('=');
  // Built member by member: GCC 12 warns (-Wmaybe-uninitialized, a false positive) on the
  // nested aggregate initialiser of the two strings.
  OverrideOrigin origin;
  origin.where.file = "command line";
  origin.where.line = 0;
  origin.text = text;
  const auto trim = [](std::string s) {
    s.erase(0, s.find_first_not_of(" \t"));
    s.erase(s.find_last_not_of(" \t") + 1);
    return s;
  };
  if (eq == std::string::npos || trim(text.substr(0, eq)).empty())
    fail_at(origin, text, "expected path=value, e.g. naltrexone.ke0=1.5 /h");
  const std::string path = trim(text.substr(0, eq)), raw = trim(text.substr(eq + 1));
  toml::table holder;
  try {
    holder = toml::parse("v = " + raw);
  } catch (const toml::parse_error&) {
    holder = toml::table{{"v", raw}};  // "1.5 /h" is not TOML: take it as a string
  }
  if (!holder.contains("v")) holder = toml::table{{"v", raw}};
  apply_override(ctx, targets, path, *holder.get("v"), origin);
}

}  // namespace morsim::config
