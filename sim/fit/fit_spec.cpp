
// Fit file reading with the config reader's helpers (file:line: key: problem, did you mean),
// then every dataset's CSV and scenario, then each parameter tried on each scenario.
#include "fit/fit_spec.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "config/toml_reader.hpp"
#include "fit/dataset_csv.hpp"
#include "model/errors.hpp"
#include "units/units.hpp"

namespace morsim::fit {

namespace fs = std::filesystem;
using config::Context;
using config::fail;

const char* to_string(Scale s) { return s == Scale::kLog ? "log" : "linear"; }

const char* to_string(Quantity q) {
  switch (q) {
    case Quantity::kPlasma:
      return "plasma";
    case Quantity::kEffect:
      return "effect";
    case Quantity::kOccupancy:
      break;
  }
  return "occupancy";
}

namespace {

const std::vector<std::pair<Statistic, const char*>> kStatistics{
    {Statistic::kValue, "value"},
    {Statistic::kRelative, "relative"},
    {Statistic::kPeak, "peak"},
    {Statistic::kTimeOfPeak, "time_of_peak"},
    {Statistic::kRiseToHalfPeak, "rise_to_half_peak"},
    {Statistic::kFallToHalfPeak, "fall_to_half_peak"},
    {Statistic::kAuc, "auc"},
    {Statistic::kAucRatio, "auc_ratio"},
    {Statistic::kHalfLife, "half_life"}};

const std::vector<std::string> kFitKeys{
    "name", "description", "max_iterations", "parameter_tolerance", "function_tolerance",
    "rtol", "step"};
const std::vector<std::string> kParameterKeys{"path", "initial", "lower", "upper", "scale"};
const std::vector<std::string> kDatasetKeys{
    "name",           "file",   "scenario",      "arm", "quantity", "compounds", "statistic",
    "reference_time", "window", "reference_arm", "log", "sigma",    "tolerance", "disagreement"};

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw ConfigError(path, 0, "(file)", fs::exists(path) ? "cannot be read" : "no such file");
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

toml::table parse_toml(const std::string& text, const std::string& path) {
  return config::parse_config_toml(text, path);
}

std::string names_of(const std::vector<std::pair<Statistic, const char*>>& v) {
  std::string s;
  for (const auto& [k, n] : v) s += (s.empty() ? "" : ", ") + std::string(n);
  return s;
}

// A number (integer or float) > 0.
double read_positive(const Context& ctx, const toml::node& n, const std::string& key) {
  double v = 0.0;
  if (const auto* i = n.as_integer())
    v = static_cast<double>(i->get());
  else if (const auto* f = n.as_floating_point())
    v = f->get();
  else
    fail(ctx, n, key, "expected a number");
  if (!(v > 0) || !std::isfinite(v))
    fail(ctx, n, key, "got " + format_number(v) + " (allowed: > 0)");
  return v;
}

// "20 h" -> 20 and "h"; a bare number is dimensionless.
std::pair<double, std::string> split_quantity(const Context& ctx, const toml::node& n,
                                              const std::string& key) {
  if (const auto* i = n.as_integer()) return {static_cast<double>(i->get()), ""};
  if (const auto* f = n.as_floating_point()) return {f->get(), ""};
  if (!n.is_string())
    fail(ctx, n, key, "expected a value with its unit, e.g. \"20 h\", or a number");
  const std::string& s = n.as_string()->get();
  const std::size_t a = s.find_first_not_of(" \t");
  double v = 0.0;
  const char* first = s.data() + (a == std::string::npos ? s.size() : a);
  const auto [ptr, ec] = std::from_chars(first, s.data() + s.size(), v);
  if (a == std::string::npos || ec != std::errc() || !std::isfinite(v))
    fail(ctx, n, key, "'" + s + "' does not start with a finite number (allowed: e.g. \"20 h\")");
  std::string unit(ptr, s.data() + s.size());
  unit.erase(0, unit.find_first_not_of(" \t"));
  unit.erase(unit.find_last_not_of(" \t") + 1);
  return {v, unit};
}

// A value in the unit of `e` (a number only when `e` is dimensionless).
double read_in(const Context& ctx, const toml::node& n, const std::string& key,
               const ExpectedDimension& e) {
  std::string text;
  if (const auto* i = n.as_integer())
    text = std::to_string(i->get());
  else if (const auto* f = n.as_floating_point())
    text = format_number(f->get());
  else if (const auto* s = n.as_string())
    text = s->get();
  else
    fail(ctx, n, key, "expected a value with its unit, e.g. \"1 " + e.internal_unit() + "\"");
  try {
    return parse_quantity(text, e);
  } catch (const UnitError& err) {
    fail(ctx, n, key, err.what());
  }
}

// The "problem" part of a loader error (after "file:line: key: ").
std::string problem_of(const ConfigError& e) {
  const std::string prefix = e.file() + ":" + std::to_string(e.line()) + ": " + e.key() + ": ";
  const std::string w = e.what();
  return w.compare(0, prefix.size(), prefix) == 0 ? w.substr(prefix.size()) : w;
}

// The compound or formulation an override path names ("naltrexone" of "naltrexone.ke0").
std::string owner_of(const std::string& path) {
  std::string p = path.substr(0, path.find('='));
  p.erase(0, p.find_first_not_of(" \t"));
  return p.substr(0, p.find('.'));
}

bool has_owner(const ScenarioSpec& s, const std::string& owner) {
  return owner == "receptor" || s.find_compound(owner) || s.find_formulation(owner);
}

std::vector<std::string> arm_names(const ScenarioSpec& s) {
  std::vector<std::string> out;
  for (const Arm& a : s.arms) out.push_back(a.name);
  return out;
}

std::size_t arm_index(const Context& ctx, const ScenarioSpec& s, const toml::node& n,
                      const std::string& key, const std::string& dataset) {
  const std::string name = config::read_string(ctx, n, key);
  const std::vector<std::string> names = arm_names(s);
  for (std::size_t i = 0; i < names.size(); ++i)
    if (names[i] == name) return i;
  fail(ctx, n, key,
       "no arm '" + name + "' in the scenario of dataset '" + dataset + "'" +
           config::did_you_mean(name, names) + " (allowed: " + config::join(names) + ")");
}

std::string resolve(const std::string& fit_path, const std::string& rel) {
  const fs::path dir = fs::path(fit_path).parent_path();
  return (dir / rel).lexically_normal().string();
}

class FitReader {
 public:
  FitReader(const std::string& path, const std::vector<std::string>& set) {
    spec_.path = path;
    spec_.set = set;
  }

  FitSpec read() {
    spec_.text = read_text(spec_.path);
    root_ = parse_toml(spec_.text, spec_.path);
    config::check_keys(ctx_, root_, "", {"fit", "parameter", "dataset"});
    read_header();
    const toml::array* params = tables(root_, "parameter", "the parameters to estimate");
    const toml::array* sets = tables(root_, "dataset", "the observations to fit");
    for (std::size_t i = 0; i < params->size(); ++i)
      read_parameter(*params->get(i)->as_table(), "parameter[" + std::to_string(i) + "]");
    for (std::size_t i = 0; i < sets->size(); ++i)
      read_dataset(*sets->get(i)->as_table(), "dataset[" + std::to_string(i) + "]");
    check_set_owners();
    for (std::size_t i = 0; i < spec_.parameters.size(); ++i)
      check_parameter(i, *params->get(i)->as_table(), "parameter[" + std::to_string(i) + "]");
    check_together(*params->get(0)->as_table());
    return std::move(spec_);
  }

 private:
  const toml::array* tables(const toml::table& t, const char* key, const char* what) {
    const toml::array* a = config::array_at(ctx_, t, key, key);
    if (!a || a->empty())
      fail(ctx_, t, key,
           std::string("missing (required: at least one [[") + key + "]], " + what + ")");
    for (std::size_t i = 0; i < a->size(); ++i)
      config::as_table(ctx_, *a->get(i), std::string(key) + "[" + std::to_string(i) + "]");
    return a;
  }

  void read_header() {
    const toml::table* f = config::table_at(ctx_, root_, "fit", "fit");
    if (!f) fail(ctx_, root_, "fit", "missing (required: [fit] with name)");
    config::check_keys(ctx_, *f, "fit", kFitKeys);
    spec_.name = config::read_string(
        ctx_, config::require(ctx_, *f, "name", "fit.name", "the fit's name"), "fit.name");
    if (const toml::node* n = f->get("description"))
      spec_.description = config::read_string(ctx_, *n, "fit.description");
    if (const toml::node* n = f->get("max_iterations"))
      spec_.max_iterations = static_cast<int>(config::read_int(ctx_, *n, "fit.max_iterations", 1));
    if (const toml::node* n = f->get("parameter_tolerance"))
      spec_.parameter_tolerance = read_positive(ctx_, *n, "fit.parameter_tolerance");
    if (const toml::node* n = f->get("function_tolerance"))
      spec_.function_tolerance = read_positive(ctx_, *n, "fit.function_tolerance");
    if (const toml::node* n = f->get("rtol")) {
      spec_.rtol = read_positive(ctx_, *n, "fit.rtol");
      if (spec_.rtol > 1e-4)
        fail(ctx_, *n, "fit.rtol",
             "got " + format_number(spec_.rtol) +
                 " (allowed: <= 1e-4; differences of simulations need accurate ones)");
    }
    if (const toml::node* n = f->get("step")) {
      spec_.step = read_positive(ctx_, *n, "fit.step");
      if (spec_.step > 0.1)
        fail(ctx_, *n, "fit.step", "got " + format_number(spec_.step) + " (allowed: (0, 0.1])");
    }
  }

  void read_parameter(const toml::table& t, const std::string& key) {
    config::check_keys(ctx_, t, key, kParameterKeys);
    FitParameter p;
    p.line = config::where(ctx_, t).line;
    const toml::node& path_node =
        config::require(ctx_, t, "path", key + ".path", "an override path, e.g. naltrexone.ke0");
    p.path = config::read_string(ctx_, path_node, key + ".path");
    if (p.path.empty() || p.path.find('=') != std::string::npos ||
        p.path.find(' ') != std::string::npos)
      fail(ctx_, path_node, key + ".path",
           "'" + p.path + "' is not a parameter path (allowed: e.g. naltrexone.ke0_half_life)");
    for (const FitParameter& q : spec_.parameters)
      if (q.path == p.path)
        fail(ctx_, path_node, key + ".path", "'" + p.path + "' is estimated twice");
    const toml::node& init =
        config::require(ctx_, t, "initial", key + ".initial", "the starting value with its unit");
    const auto [v0, unit] = split_quantity(ctx_, init, key + ".initial");
    p.unit = unit;
    p.initial = v0;
    p.initial_text = text_of(init);
    unit_dimension(p, init, key);  // the unit must parse
    if (const toml::node* n = t.get("scale")) {
      const std::string s = config::read_string(ctx_, *n, key + ".scale");
      if (s == "log")
        p.scale = Scale::kLog;
      else if (s == "linear")
        p.scale = Scale::kLinear;
      else
        fail(ctx_, *n, key + ".scale",
             "unknown scale '" + s + "'" + config::did_you_mean(s, {"log", "linear"}) +
                 " (allowed: log, linear)");
    }
    if (p.scale == Scale::kLog && !(p.initial > 0))
      fail(ctx_, init, key + ".initial",
           "got " + p.initial_text + " (allowed: > 0 with scale = \"log\"; or scale = \"linear\")");
    spec_.parameters.push_back(std::move(p));
  }

  // Values in the unit `initial` was written in: its dimension, named for messages.
  ExpectedDimension unit_dimension(const FitParameter& p, const toml::node& init,
                                   const std::string& key) const {
    if (p.unit.empty()) return dim::dimensionless();
    try {
      const std::string d = ExpectedDimension("", p.unit, "").dimension().to_string();
      return ExpectedDimension(d, p.unit, "units of " + d + ", as initial's '" + p.unit + "'");
    } catch (const UnitError& err) {
      fail(ctx_, init, key + ".initial", std::string(err.what()) + " in '" + p.initial_text + "'");
    }
  }

  // lower and upper, read once the initial value is known to suit the model.
  void read_bounds(FitParameter& p, const toml::table& t, const std::string& key) {
    const toml::node& init = *t.get("initial");
    const ExpectedDimension e = unit_dimension(p, init, key);
    if (const toml::node* n = t.get("lower")) {
      p.lower = read_in(ctx_, *n, key + ".lower", e);
      p.lower_text = text_of(*n);
    }
    if (const toml::node* n = t.get("upper")) {
      p.upper = read_in(ctx_, *n, key + ".upper", e);
      p.upper_text = text_of(*n);
    }
    if (t.get("lower") && t.get("upper") && !(p.lower < p.upper))
      fail(ctx_, *t.get("upper"), key + ".upper",
           "got " + p.upper_text + " (allowed: greater than lower = " + p.lower_text + ")");
    if (p.scale == Scale::kLog && t.get("lower") && !(p.lower > 0))
      fail(ctx_, *t.get("lower"), key + ".lower",
           "got " + p.lower_text + " (allowed: > 0 with scale = \"log\"; or scale = \"linear\")");
    if (p.initial < p.lower || p.initial > p.upper)
      fail(ctx_, init, key + ".initial",
           "got " + p.initial_text + ", outside the bounds (allowed: " +
               (t.get("lower") ? p.lower_text : std::string("-inf")) + " to " +
               (t.get("upper") ? p.upper_text : std::string("inf")) + ")");
  }

  static std::string text_of(const toml::node& n) {
    if (const auto* s = n.as_string()) return s->get();
    if (const auto* f = n.as_floating_point()) return format_number(f->get());
    std::ostringstream os;
    n.visit([&](const auto& x) { os << x; });
    return os.str();
  }

  void read_dataset(const toml::table& t, const std::string& key) {
    config::check_keys(ctx_, t, key, kDatasetKeys);
    Dataset d;
    d.line = config::where(ctx_, t).line;
    const toml::node& name_node = config::require(ctx_, t, "name", key + ".name", "a name");
    d.name = config::read_string(ctx_, name_node, key + ".name");
    if (d.name.empty() || d.name == "." || d.name.find('/') != std::string::npos)
      fail(ctx_, name_node, key + ".name",
           "'" + d.name + "' cannot name a dataset (allowed: text without '/')");
    for (const Dataset& o : spec_.datasets)
      if (o.name == d.name) fail(ctx_, name_node, key + ".name", "'" + d.name + "' appears twice");

    // The scenario, at the shipped values and with the --set overrides that concern it.
    const toml::node& scen = config::require(ctx_, t, "scenario", key + ".scenario",
                                             "the scenario file, relative to the fit file");
    const std::string scen_path =
        resolve(spec_.path, config::read_string(ctx_, scen, key + ".scenario"));
    if (!fs::is_regular_file(scen_path))
      fail(ctx_, scen, key + ".scenario", "no such file '" + scen_path + "'");
    d.scenario = read_scenario_source(scen_path, libraries_);
    const ScenarioSpec plain = d.scenario.load({});
    for (const std::string& s : spec_.set)
      if (s.find('=') == std::string::npos || has_owner(plain, owner_of(s))) {
        d.set.push_back(s);
        set_used_[s] = true;
      }
    d.base = d.set.empty() ? plain : d.scenario.load(d.set);

    // Arm, quantity, compounds, statistic.
    std::optional<std::size_t> arm;
    if (const toml::node* n = t.get("arm")) arm = arm_index(ctx_, d.base, *n, key + ".arm", d.name);
    const std::string q = config::read_string(
        ctx_,
        config::require(ctx_, t, "quantity", key + ".quantity", "plasma, occupancy or effect"),
        key + ".quantity");
    if (q == "plasma")
      d.quantity = Quantity::kPlasma;
    else if (q == "occupancy")
      d.quantity = Quantity::kOccupancy;
    else if (q == "effect")
      d.quantity = Quantity::kEffect;
    else
      fail(ctx_, *t.get("quantity"), key + ".quantity",
           "unknown quantity '" + q + "'" +
               config::did_you_mean(q, {"plasma", "occupancy", "effect"}) +
               " (allowed: plasma, occupancy, effect)");
    if (d.quantity == Quantity::kEffect && !d.base.receptor.operational_effect)
      fail(ctx_, *t.get("quantity"), key + ".quantity",
           "the scenario's receptor model computes no effect (operational_effect = false) "
           "(allowed: plasma, occupancy)");
    read_compounds(t, key, d);
    if (const toml::node* n = t.get("statistic")) {
      const std::string s = config::read_string(ctx_, *n, key + ".statistic");
      bool found = false;
      std::vector<std::string> names;
      for (const auto& [k, name] : kStatistics) {
        names.emplace_back(name);
        if (s == name) d.statistic = k, found = true;
      }
      if (!found)
        fail(ctx_, *n, key + ".statistic",
             "unknown statistic '" + s + "'" + config::did_you_mean(s, names) +
                 " (allowed: " + names_of(kStatistics) + ")");
    }
    read_statistic_keys(t, key, d);
    if (const toml::node* n = t.get("log")) d.log = config::read_bool(ctx_, *n, key + ".log");

    // The observations.
    const toml::node& file = config::require(ctx_, t, "file", key + ".file",
                                             "the CSV of observations, relative to the fit file");
    d.csv_path = resolve(spec_.path, config::read_string(ctx_, file, key + ".file"));
    if (!fs::is_regular_file(d.csv_path))
      fail(ctx_, file, key + ".file", "no such file '" + d.csv_path + "'");
    const CsvTable table = read_csv(d.csv_path);
    if (table.column("group") < 0 && !arm && d.base.arms.size() > 1)
      fail(ctx_, t, key + ".arm",
           "missing (required: the scenario has " + std::to_string(d.base.arms.size()) + " arms, " +
               config::join(arm_names(d.base)) + "; name one, or give the CSV a group column)");
    CsvRules rules;
    rules.quantity = d.quantity;
    rules.statistic = d.statistic;
    if (d.quantity == Quantity::kPlasma)
      rules.molar_mass = d.base.compounds[d.compounds[0]].molar_mass_g_per_mol;
    rules.arms = arm_names(d.base);
    rules.arm = arm;
    rules.dataset = d.name;
    rules.t_start_h = d.base.grid.t_start_h;
    rules.t_end_h = d.base.grid.t_end_h;
    rules.log = d.log;
    CsvData data = read_observations(table, rules);
    d.value_unit = data.value_unit;
    d.value_scale = data.value_scale;
    d.internal_unit = internal_unit(d.quantity, d.statistic);

    // Fallback uncertainty and --check tolerance, in the value's unit.
    double sigma = kNaN;
    if (const toml::node* n = t.get("sigma")) sigma = read_in_value_unit(*n, key + ".sigma", d);
    if (const toml::node* n = t.get("tolerance")) {
      d.tolerance = d.log ? read_positive(ctx_, *n, key + ".tolerance")
                          : read_in_value_unit(*n, key + ".tolerance", d);
    }
    if (const toml::node* n = t.get("disagreement")) {
      d.disagreement = config::read_string(ctx_, *n, key + ".disagreement");
      if (d.disagreement.empty())
        fail(ctx_, *n, key + ".disagreement",
             "empty (allowed: where the miss is documented, e.g. \"docs/validation.md: ...\")");
    }
    for (Observation& o : data.rows) {
      if (std::isnan(o.sigma)) o.sigma = sigma;
      if (std::isnan(o.sigma))
        throw ConfigError(d.csv_path, o.line, "sigma",
                          "no uncertainty for this row (allowed: a sem, or sd with n, in the "
                          "CSV; or sigma = ... in dataset '" +
                              d.name + "')");
    }
    d.rows = std::move(data.rows);
    if (d.rows.empty())
      fail(ctx_, file, key + ".file", "no observations in '" + d.csv_path + "' (an empty dataset)");
    for (const Observation& o : d.rows) d.arms.push_back(o.arm);
    if (d.statistic == Statistic::kAucRatio) d.arms.push_back(d.reference_arm);
    std::sort(d.arms.begin(), d.arms.end());
    d.arms.erase(std::unique(d.arms.begin(), d.arms.end()), d.arms.end());
    spec_.datasets.push_back(std::move(d));
  }

  // A number in the value's unit, or a quantity string in a unit of the value's dimension.
  double read_in_value_unit(const toml::node& n, const std::string& key, const Dataset& d) {
    double v = 0.0;
    if (n.is_number()) {
      v = n.value<double>().value();
    } else if (const auto* s = n.as_string()) {
      const auto [x, unit] = split_quantity(ctx_, n, key);
      try {
        const double molar_mass = d.quantity == Quantity::kPlasma
                                      ? d.base.compounds[d.compounds[0]].molar_mass_g_per_mol
                                      : 0.0;
        v = x * value_unit_scale(unit, d.quantity, d.statistic, molar_mass) / d.value_scale;
      } catch (const UnitError& e) {
        fail(ctx_, n, key, std::string(e.what()) + " in '" + s->get() + "'");
      }
    } else {
      fail(ctx_, n, key, "expected a number in the value's unit ('" + d.value_unit + "')");
    }
    if (!(v > 0) || !std::isfinite(v))
      fail(ctx_, n, key,
           "got " + text_of(n) + " (allowed: > 0, in the value's unit '" + d.value_unit + "')");
    return v;
  }

  void read_compounds(const toml::table& t, const std::string& key, Dataset& d) {
    std::vector<std::string> all;
    for (const Compound& c : d.base.compounds) all.push_back(c.name);
    const toml::node* n = t.get("compounds");
    const std::string k = key + ".compounds";
    if (d.quantity == Quantity::kEffect) {
      if (n)
        fail(ctx_, *n, k,
             "not used with quantity = \"effect\" (the effect is the receptor's response to "
             "every agonist; allowed: no compounds key)");
      return;
    }
    if (!n) {
      if (d.quantity == Quantity::kPlasma)
        fail(ctx_, t, k,
             "missing (required with quantity = \"plasma\": one compound, of " + config::join(all) +
                 ")");
      for (std::size_t i = 0; i < d.base.compounds.size(); ++i)
        if (d.base.compounds[i].binds_receptor) d.compounds.push_back(i);
      if (d.compounds.empty())
        fail(ctx_, t, key + ".quantity", "no compound of the scenario binds the receptor");
      return;
    }
    const toml::array* a = n->as_array();
    if (!a) fail(ctx_, *n, k, "expected an array of compound names, e.g. [\"naltrexone\"]");
    if (d.quantity == Quantity::kPlasma && a->size() != 1)
      fail(ctx_, *n, k,
           "got " + std::to_string(a->size()) +
               " compounds (allowed with quantity = \"plasma\": exactly one)");
    if (a->empty()) fail(ctx_, *n, k, "empty (allowed: compounds of the scenario)");
    for (std::size_t j = 0; j < a->size(); ++j) {
      const std::string ek = k + "[" + std::to_string(j) + "]";
      const std::string name = config::read_string(ctx_, *a->get(j), ek);
      const auto it = std::find(all.begin(), all.end(), name);
      if (it == all.end())
        fail(ctx_, *a->get(j), ek,
             "no compound '" + name + "' in the scenario of dataset '" + d.name + "'" +
                 config::did_you_mean(name, all) + " (allowed: " + config::join(all) + ")");
      const auto i = static_cast<std::size_t>(it - all.begin());
      if (d.quantity == Quantity::kOccupancy && !d.base.compounds[i].binds_receptor) {
        std::vector<std::string> binders;
        for (const Compound& c : d.base.compounds)
          if (c.binds_receptor) binders.push_back(c.name);
        fail(ctx_, *a->get(j), ek,
             "'" + name + "' does not bind the receptor (allowed: " + config::join(binders) + ")");
      }
      if (std::find(d.compounds.begin(), d.compounds.end(), i) != d.compounds.end())
        fail(ctx_, *a->get(j), ek, "'" + name + "' is named twice");
      d.compounds.push_back(i);
    }
  }

  void read_statistic_keys(const toml::table& t, const std::string& key, Dataset& d) {
    const bool window = !needs_row_time(d.statistic);
    const std::string stat = to_string(d.statistic);
    const auto unused = [&](const char* k, const char* used_by) {
      if (const toml::node* n = t.get(k))
        fail(ctx_, *n, key + "." + k,
             "not used by statistic '" + stat + "' (allowed with: " + used_by + ")");
    };
    const double t0 = d.base.grid.t_start_h, t1 = d.base.grid.t_end_h;
    const std::string range = "within the scenario's output range, " + format_number(t0) +
                              " h to " + format_number(t1) + " h";
    if (d.statistic == Statistic::kRelative) {
      const toml::node& n = config::require(ctx_, t, "reference_time", key + ".reference_time",
                                            "the time the quantity is divided by");
      d.reference_time_h = read_in(ctx_, n, key + ".reference_time", dim::time());
      if (d.reference_time_h < t0 || d.reference_time_h > t1)
        fail(ctx_, n, key + ".reference_time", "got " + text_of(n) + " (allowed: " + range + ")");
    } else {
      unused("reference_time", "relative");
    }
    if (d.statistic == Statistic::kAucRatio) {
      d.reference_arm = arm_index(ctx_, d.base,
                                  config::require(ctx_, t, "reference_arm", key + ".reference_arm",
                                                  "the arm whose AUC divides"),
                                  key + ".reference_arm", d.name);
    } else {
      unused("reference_arm", "auc_ratio");
    }
    d.window_from_h = t0;
    d.window_to_h = t1;
    if (const toml::node* n = t.get("window")) {
      if (!window)
        unused("window",
               "peak, time_of_peak, rise_to_half_peak, fall_to_half_peak, auc, auc_ratio, "
               "half_life");
      const toml::array* a = n->as_array();
      if (!a || a->size() != 2)
        fail(ctx_, *n, key + ".window", "expected two times, e.g. [\"0 h\", \"28 d\"]");
      d.window_from_h = read_in(ctx_, *a->get(0), key + ".window[0]", dim::time());
      d.window_to_h = read_in(ctx_, *a->get(1), key + ".window[1]", dim::time());
      if (!(d.window_to_h > d.window_from_h))
        fail(ctx_, *a->get(1), key + ".window[1]",
             "got " + text_of(*a->get(1)) + " (allowed: after window[0] = " + text_of(*a->get(0)) +
                 ")");
      if (d.window_from_h < t0 - 1e-9 || d.window_to_h > t1 + 1e-9)
        fail(ctx_, *n, key + ".window",
             "[" + text_of(*a->get(0)) + ", " + text_of(*a->get(1)) + "] (allowed: " + range + ")");
    }
  }

  void check_set_owners() {
    for (const std::string& s : spec_.set)
      if (!set_used_[s]) {
        std::vector<std::string> names;
        for (const Dataset& d : spec_.datasets) {
          for (const Compound& c : d.base.compounds) names.push_back(c.name);
          for (const Formulation& f : d.base.formulations) names.push_back(f.name);
        }
        std::sort(names.begin(), names.end());
        names.erase(std::unique(names.begin(), names.end()), names.end());
        const std::string owner = owner_of(s);
        throw ConfigError("command line", 0, s.substr(0, s.find('=')),
                          "no compound or formulation '" + owner + "' in the datasets' scenarios" +
                              config::did_you_mean(owner, names) +
                              " (allowed: " + config::join(names) + ", receptor)");
      }
  }

  // Loads `d`'s scenario with `extra` after its --set; a rejection fails at `n` / `key`.
  void try_load(const Dataset& d, const std::vector<std::string>& extra, const toml::node& n,
                const std::string& key, const toml::node& path_node, const std::string& path_key) {
    std::vector<std::string> o = d.set;
    o.insert(o.end(), extra.begin(), extra.end());
    const std::string what = extra.size() == 1 ? "'" + extra[0] + "'" : "the initial values";
    try {
      d.scenario.load(o);
    } catch (const ConfigError& e) {
      const std::string problem = problem_of(e);
      const bool path = problem.find("no parameter with this path") != std::string::npos;
      fail(ctx_, path ? path_node : n, path ? path_key : key,
           "the scenario of dataset '" + d.name + "' rejects " + what + ": " +
               (e.file() == "command line" ? problem : std::string(e.what())));
    } catch (const ModelError& e) {
      fail(ctx_, n, key,
           "the scenario of dataset '" + d.name + "' rejects " + what +
               ": invalid model: " + e.what());
    }
  }

  void check_parameter(std::size_t i, const toml::table& t, const std::string& key) {
    FitParameter& p = spec_.parameters[i];
    const toml::node& path_node = *t.get("path");
    const std::string owner = owner_of(p.path);
    bool any = false;
    for (Dataset& d : spec_.datasets) {
      const bool uses = has_owner(d.base, owner);
      d.uses_parameter.push_back(uses);
      if (!uses) continue;
      any = true;
      try_load(d, {p.override_text(p.initial)}, *t.get("initial"), key + ".initial", path_node,
               key + ".path");
    }
    if (any) read_bounds(p, t, key);
    for (const Dataset& d : spec_.datasets) {
      if (!d.uses_parameter[i]) continue;
      if (t.get("lower"))
        try_load(d, {p.override_text(p.lower)}, *t.get("lower"), key + ".lower", path_node,
                 key + ".path");
      if (t.get("upper"))
        try_load(d, {p.override_text(p.upper)}, *t.get("upper"), key + ".upper", path_node,
                 key + ".path");
    }
    if (any) return;
    // No scenario has the owner: the loader's own message (did you mean) for the first one.
    try_load(spec_.datasets[0], {p.override_text(p.initial)}, path_node, key + ".path", path_node,
             key + ".path");
    std::vector<std::string> names;
    for (const Dataset& d : spec_.datasets) {
      for (const Compound& c : d.base.compounds) names.push_back(c.name);
      for (const Formulation& f : d.base.formulations) names.push_back(f.name);
    }
    fail(ctx_, path_node, key + ".path",
         "no compound or formulation '" + owner + "' in the datasets' scenarios" +
             config::did_you_mean(owner, names) + " (allowed: " + config::join(names) +
             ", receptor)");
  }

  void check_together(const toml::table& first) {
    for (const Dataset& d : spec_.datasets) {
      std::vector<std::string> o;
      for (std::size_t i = 0; i < spec_.parameters.size(); ++i)
        if (d.uses_parameter[i])
          o.push_back(spec_.parameters[i].override_text(spec_.parameters[i].initial));
      if (o.size() > 1) try_load(d, o, first, "parameter", first, "parameter");
    }
  }

  Context ctx_;
  FitSpec spec_;
  toml::table root_;
  std::map<std::string, std::shared_ptr<const ModelLibrary>> libraries_;
  std::map<std::string, bool> set_used_;
};

}  // namespace

const char* to_string(Statistic s) {
  for (const auto& [k, name] : kStatistics)
    if (k == s) return name;
  return "value";
}

bool needs_row_time(Statistic s) { return s == Statistic::kValue || s == Statistic::kRelative; }

std::string FitParameter::override_text(double value) const {
  return path + "=" + format_number(value) + (unit.empty() ? "" : " " + unit);
}

std::string FitParameter::format(double value, int digits) const {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*g", digits, value);
  return std::string(buf) + (unit.empty() ? "" : " " + unit);
}

std::size_t FitSpec::n_observations() const {
  std::size_t n = 0;
  for (const Dataset& d : datasets) n += d.rows.size();
  return n;
}

FitSpec load_fit_file(const std::string& path, const std::vector<std::string>& set) {
  return FitReader(path, set).read();
}

}  // namespace morsim::fit
