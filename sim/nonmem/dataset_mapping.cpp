// Reading [dataset] with toml++ directly: the scenario loader only accepts the table's name.
#include "nonmem/dataset_mapping.hpp"

#include <toml++/toml.h>

#include <cmath>

#include "model/errors.hpp"
#include "units/units.hpp"

namespace morsim::nonmem {
namespace {

class Reader {
 public:
  explicit Reader(std::string file) : file_(std::move(file)) {}

  [[noreturn]] void fail(const toml::node& n, const std::string& key,
                         const std::string& problem) const {
    throw ConfigError(file_, static_cast<int>(n.source().begin.line), key, problem);
  }

  void check_keys(const toml::table& t, const std::string& path,
                  std::initializer_list<const char*> allowed) const {
    for (const auto& [k, v] : t) {
      bool ok = false;
      std::string list;
      for (const char* a : allowed) {
        ok = ok || k.str() == a;
        list += (list.empty() ? "" : ", ") + std::string(a);
      }
      if (!ok) fail(v, path + "." + std::string(k.str()), "unknown key (allowed: " + list + ")");
    }
  }

  std::string string(const toml::node& n, const std::string& key) const {
    if (!n.is_string()) fail(n, key, "expected a string");
    return n.as_string()->get();
  }

  double number(const toml::node& n, const std::string& key) const {
    if (const auto v = n.value<double>(); v && std::isfinite(*v)) return *v;
    fail(n, key, "expected a number");
  }

  // A unit's size in internal units, e.g. "d" -> 24 (h).
  double unit(const toml::node& n, const std::string& key, const ExpectedDimension& e) const {
    const std::string u = string(n, key);
    try {
      return parse_quantity("1 " + u, e);
    } catch (const UnitError& err) {
      fail(n, key, std::string(err.what()));
    }
  }

  // ALAG: a time with unit ("30 min"), or a number in the dataset's time unit.
  double lag_h(const toml::node& n, const std::string& key, double hours_per_unit) const {
    double v = 0.0;
    if (n.is_string()) {
      try {
        v = parse_quantity(n.as_string()->get(), dim::time());
      } catch (const UnitError& err) {
        fail(n, key, std::string(err.what()));
      }
    } else {
      v = number(n, key) * hours_per_unit;
    }
    if (!(v >= 0.0)) fail(n, key, "must be >= 0 (a lag time)");
    return v;
  }

 private:
  std::string file_;
};

int cmt_number(const Reader& r, const toml::node& n, std::string_view key,
               const std::string& path) {
  long v = 0;
  const std::string k(key);
  std::size_t used = 0;
  try {
    v = std::stol(k, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used != k.size() || v <= 0 || v > 1000000)
    r.fail(n, path, "'" + k + "' is not a compartment number (allowed: 1, 2, ...)");
  return static_cast<int>(v);
}

}  // namespace

std::optional<DatasetMapping> read_dataset_mapping(const std::string& scenario_path) {
  toml::table root;
  try {
    root = toml::parse_file(scenario_path);
  } catch (const toml::parse_error& e) {
    throw ConfigError(scenario_path, static_cast<int>(e.source().begin.line), "(syntax)",
                      "not valid TOML: " + std::string(e.description()));
  }
  const toml::node* dn = root.get("dataset");
  if (!dn) return std::nullopt;
  const Reader r(scenario_path);
  const toml::table* d = dn->as_table();
  if (!d) r.fail(*dn, "dataset", "expected a table [dataset]");
  r.check_keys(*d, "dataset", {"time_unit", "amount_unit", "cmt", "id"});
  DatasetMapping m;
  m.file = scenario_path;
  m.line = static_cast<int>(d->source().begin.line);
  if (const toml::node* n = d->get("time_unit")) {
    m.time_unit = r.string(*n, "dataset.time_unit");
    m.hours_per_time_unit = r.unit(*n, "dataset.time_unit", dim::time());
  }
  if (const toml::node* n = d->get("amount_unit")) {
    m.amount_unit = r.string(*n, "dataset.amount_unit");
    m.mg_per_amount_unit = r.unit(*n, "dataset.amount_unit", dim::mass());
  }
  const toml::node* cn = d->get("cmt");
  if (!cn || !cn->is_table() || cn->as_table()->empty())
    r.fail(cn ? *cn : *dn, "dataset.cmt",
           "missing (required: a formulation per CMT number, e.g. cmt.1 = \"naltrexone-oral\")");
  for (const auto& [k, v] : *cn->as_table()) {
    const std::string key = "dataset.cmt." + std::string(k.str());
    const int n = cmt_number(r, v, k.str(), key);
    CompartmentDose c;
    c.line = static_cast<int>(v.source().begin.line);
    if (v.is_string()) {
      c.formulation = v.as_string()->get();
    } else if (const toml::table* t = v.as_table()) {
      r.check_keys(*t, key, {"formulation", "f", "alag"});
      const toml::node* fn = t->get("formulation");
      if (!fn) r.fail(v, key + ".formulation", "missing (required: a formulation name)");
      c.formulation = r.string(*fn, key + ".formulation");
      if (const toml::node* f = t->get("f")) {
        c.f = r.number(*f, key + ".f");
        if (!(c.f >= 0.0)) r.fail(*f, key + ".f", "must be >= 0 (a multiplier of AMT)");
      }
      if (const toml::node* a = t->get("alag"))
        c.alag_h = r.lag_h(*a, key + ".alag", m.hours_per_time_unit);
    } else {
      r.fail(v, key,
             "expected a formulation name or { formulation = \"...\", f = 1, alag = \"0 h\" }");
    }
    m.cmt[n] = c;
  }
  if (const toml::node* in = d->get("id")) {
    const toml::table* t = in->as_table();
    if (!t) r.fail(*in, "dataset.id", "expected a table of arm names, e.g. id.1 = \"placebo\"");
    for (const auto& [k, v] : *t)
      m.arm_names[std::string(k.str())] = r.string(v, "dataset.id." + std::string(k.str()));
  }
  return m;
}

}  // namespace morsim::nonmem
