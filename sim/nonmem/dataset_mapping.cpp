// Reading [dataset] on the config reader (config/toml_reader.hpp), so its mistakes read like
// every other config error: file:line: key: problem, with "did you mean" for a misspelt key.
// The scenario loader only accepts the table's name.
#include "nonmem/dataset_mapping.hpp"

#include <cmath>
#include <fstream>
#include <iterator>

#include "config/toml_reader.hpp"
#include "model/errors.hpp"
#include "units/units.hpp"

namespace morsim::nonmem {
namespace {

using config::Context;

double mapping_number(const Context& ctx, const toml::node& n, const std::string& key) {
  if (const auto v = n.value<double>(); v && std::isfinite(*v)) return *v;
  config::fail(ctx, n, key, "expected a number");
}

// A unit's size in internal units, e.g. "d" -> 24 (h).
double mapping_unit(const Context& ctx, const toml::node& n, const std::string& key,
                    const ExpectedDimension& e) {
  const std::string u = config::read_string(ctx, n, key);
  try {
    return parse_quantity("1 " + u, e);
  } catch (const UnitError& err) {
    config::fail(ctx, n, key, std::string(err.what()));
  }
}

// ALAG: a time with unit ("30 min"), or a number in the dataset's time unit.
double mapping_lag_h(const Context& ctx, const toml::node& n, const std::string& key,
                     double hours_per_unit) {
  double v = 0.0;
  if (n.is_string()) {
    try {
      v = parse_quantity(n.as_string()->get(), dim::time());
    } catch (const UnitError& err) {
      config::fail(ctx, n, key, std::string(err.what()));
    }
  } else {
    v = mapping_number(ctx, n, key) * hours_per_unit;
  }
  if (!(v >= 0.0)) config::fail(ctx, n, key, "must be >= 0 (a lag time)");
  return v;
}

int cmt_number(const Context& ctx, const toml::node& n, std::string_view key,
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
    config::fail(ctx, n, path, "'" + k + "' is not a compartment number (allowed: 1, 2, ...)");
  return static_cast<int>(v);
}

}  // namespace

std::optional<DatasetMapping> read_dataset_mapping(const std::string& scenario_path) {
  std::ifstream in(scenario_path, std::ios::binary);
  if (!in) throw ConfigError(scenario_path, 0, "(file)", "cannot be read");
  const std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  const toml::table root = config::parse_config_toml(text, scenario_path);
  const toml::node* dn = root.get("dataset");
  if (!dn) return std::nullopt;
  const Context ctx;
  const toml::table& d = config::as_table(ctx, *dn, "dataset");
  config::check_keys(ctx, d, "dataset", {"time_unit", "amount_unit", "cmt", "id"});
  DatasetMapping m;
  m.file = scenario_path;
  m.line = static_cast<int>(d.source().begin.line);
  if (const toml::node* n = d.get("time_unit")) {
    m.time_unit = config::read_string(ctx, *n, "dataset.time_unit");
    m.hours_per_time_unit = mapping_unit(ctx, *n, "dataset.time_unit", dim::time());
  }
  if (const toml::node* n = d.get("amount_unit")) {
    m.amount_unit = config::read_string(ctx, *n, "dataset.amount_unit");
    m.mg_per_amount_unit = mapping_unit(ctx, *n, "dataset.amount_unit", dim::mass());
  }
  const toml::node* cn = d.get("cmt");
  if (!cn || !cn->is_table() || cn->as_table()->empty())
    config::fail(
        ctx, cn ? *cn : *dn, "dataset.cmt",
        "missing (required: a formulation per CMT number, e.g. cmt.1 = \"naltrexone-oral\")");
  for (const auto& [k, v] : *cn->as_table()) {
    const std::string key = "dataset.cmt." + std::string(k.str());
    const int n = cmt_number(ctx, v, k.str(), key);
    CompartmentDose c;
    c.line = static_cast<int>(v.source().begin.line);
    if (v.is_string()) {
      c.formulation = v.as_string()->get();
    } else if (const toml::table* t = v.as_table()) {
      config::check_keys(ctx, *t, key, {"formulation", "f", "alag"});
      const toml::node& fn =
          config::require(ctx, *t, "formulation", key + ".formulation", "a formulation name");
      c.formulation = config::read_string(ctx, fn, key + ".formulation");
      if (const toml::node* f = t->get("f")) {
        c.f = mapping_number(ctx, *f, key + ".f");
        if (!(c.f >= 0.0)) config::fail(ctx, *f, key + ".f", "must be >= 0 (a multiplier of AMT)");
      }
      if (const toml::node* a = t->get("alag"))
        c.alag_h = mapping_lag_h(ctx, *a, key + ".alag", m.hours_per_time_unit);
    } else {
      config::fail(
          ctx, v, key,
          "expected a formulation name or { formulation = \"...\", f = 1, alag = \"0 h\" }");
    }
    m.cmt[n] = c;
  }
  if (const toml::node* id = d.get("id")) {
    const toml::table* t = id->as_table();
    if (!t)
      config::fail(ctx, *id, "dataset.id",
                   "expected a table of arm names, e.g. id.1 = \"placebo\"");
    for (const auto& [k, v] : *t)
      m.arm_names[std::string(k.str())] =
          config::read_string(ctx, v, "dataset.id." + std::string(k.str()));
  }
  return m;
}

}  // namespace morsim::nonmem
