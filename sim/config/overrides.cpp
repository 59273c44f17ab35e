// Override paths: <compound>.<param>, <formulation>.<param>, <formulation>.<phase>.<param>,
// receptor.<param>, doses.<arm>.<index>.<key>; indexed forms such as
// naltrexone.peripheral[0].volume are accepted too.
#include "config/overrides.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <optional>
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

const char* const kDosePaths = "doses.<arm>.<index>.{amount, time, missed_last}";

std::string arm_name(const toml::node& arm) {
  const toml::table* t = arm.as_table();
  const toml::node* n = t ? t->get("name") : nullptr;
  return n && n->is_string() ? n->as_string()->get() : std::string();
}

// The last `k` doses of the record not taken: missed = [addl + 1 - k, ..., addl].
toml::node* set_missed_last(toml::table& dose, const std::string& path, const toml::node& value,
                            const OverrideOrigin& origin) {
  long addl = 0;
  if (const toml::node* a = dose.get("addl"))
    if (const auto v = value_node(*a).value<int64_t>()) addl = static_cast<long>(*v);
  const std::string allowed = "a whole number of doses from 0 to " + std::to_string(addl + 1) +
                              " (the record has " + std::to_string(addl + 1) + " doses)";
  const toml::node& v = value_node(value);
  std::optional<double> k;
  if (const auto i = v.value_exact<int64_t>())
    k = static_cast<double>(*i);
  else if (const auto f = v.value_exact<double>())
    k = *f;
  if (!k || *k != std::floor(*k) || *k < 0 || *k > static_cast<double>(addl + 1)) {
    std::ostringstream got;
    v.visit([&](const auto& x) { got << x; });
    fail_at(origin, path, "got " + got.str() + " (allowed: " + allowed + ")");
  }
  toml::array missed;
  for (long i = addl + 1 - static_cast<long>(*k); i <= addl; ++i) missed.push_back(i);
  dose.insert_or_assign("missed", std::move(missed));
  return dose.get("missed");
}

// doses.<arm>.<index>.<key>, addressed as the sweep addresses doses. The arm name may hold dots.
toml::node* override_dose(toml::array* arms, const std::string& path, const toml::node& value,
                          const OverrideOrigin& origin) {
  const std::string rest = path.substr(std::string("doses.").size());
  const std::size_t key_dot = rest.rfind('.');
  const std::size_t index_dot = key_dot == std::string::npos || key_dot == 0
                                    ? std::string::npos
                                    : rest.rfind('.', key_dot - 1);
  if (index_dot == std::string::npos)
    fail_at(origin, path, std::string("a dose path has four parts (allowed: ") + kDosePaths + ")");
  const std::string arm = rest.substr(0, index_dot);
  const std::string index = rest.substr(index_dot + 1, key_dot - index_dot - 1);
  const std::string key = rest.substr(key_dot + 1);
  std::vector<std::string> names;
  toml::table* arm_table = nullptr;
  for (std::size_t i = 0; arms && i < arms->size(); ++i) {
    names.push_back(arm_name(*arms->get(i)));
    if (names.back() == arm) arm_table = arms->get(i)->as_table();
  }
  if (!arm_table)
    fail_at(
        origin, path,
        "no arm '" + arm + "'" + did_you_mean(arm, names) + " (allowed arms: " + join(names) + ")");
  toml::array* doses = arm_table->get_as<toml::array>("dose");
  const std::size_t n = doses ? doses->size() : 0;
  const std::string indices =
      n == 0 ? "none: the arm has no [[arm.dose]]" : "0 to " + std::to_string(n - 1);
  if (index.empty() || index.find_first_not_of("0123456789") != std::string::npos ||
      index.size() > 9 || std::stoul(index) >= n)
    fail_at(origin, path,
            "arm '" + arm + "' has " + std::to_string(n) + " dose record(s); '" + index +
                "' is not one of them (allowed indices: " + indices + ")");
  toml::table* dose = doses->get(std::stoul(index))->as_table();
  if (!dose) return nullptr;  // the loader reports the malformed record
  if (key == "amount" || key == "time") return set_leaf(*dose, key, value);
  if (key == "missed_last") return set_missed_last(*dose, path, value, origin);
  fail_at(origin, path,
          "a dose has no key '" + key + "'" + did_you_mean(key, {"amount", "time", "missed_last"}) +
              " (allowed: amount, time, missed_last)");
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
  for (std::size_t i = 0; t.arms && i < t.arms->size(); ++i)
    for (const char* k : {"amount", "time", "missed_last"})
      out.push_back("doses." + arm_name(*t.arms->get(i)) + ".0." + k);
  return out;
}

}  // namespace

void apply_override(Context& ctx, OverrideTargets& targets, const std::string& path,
                    const toml::node& value, const OverrideOrigin& origin) {
  const std::size_t dot = path.find('.');
  toml::node* placed = nullptr;
  if (path.rfind("doses.", 0) == 0) {
    placed = override_dose(targets.arms, path, value, origin);
  } else if (dot != std::string::npos) {
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
                "<formulation>.<phase>.<param>, receptor.transducer_slope, " +
                kDosePaths + ")");
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
