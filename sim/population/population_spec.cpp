// Population config reading. The scenario part is handed to the usual scenario loader with
// the population tables blanked out line by line, so its error messages keep their lines.
#include "population/population_spec.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <fstream>
#include <optional>
#include <sstream>

#include "config/load_scenario.hpp"
#include "config/toml_shape.hpp"
#include "model/errors.hpp"
#include "units/units.hpp"

namespace morsim::population {

namespace {

const std::vector<std::string> kPopulationTables{"population", "variability", "correlation",
                                                 "weight",     "adherence",   "heroin"};

// A table header line ([name], [[name]], [name.sub]); rows of a matrix ("[0.5, 1]") are not.
// Scanned by hand: GCC 12 warns (-Wmaybe-uninitialized, a false positive) inside std::regex.
bool header_name(const std::string& line, std::string& name) {
  const auto is_start = [](char c) {
    return std::isalpha(static_cast<unsigned char>(c)) || c == '_';
  };
  const auto is_part = [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
  };
  std::size_t i = line.find_first_not_of(" \t");
  if (i == std::string::npos || line[i] != '[') return false;
  ++i;
  if (i < line.size() && line[i] == '[') ++i;
  while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
  if (i >= line.size() || !is_start(line[i])) return false;
  const std::size_t begin = i;
  while (i < line.size() && is_part(line[i])) ++i;
  const std::size_t end = i;
  const std::size_t close = line.find(']', i);
  if (close == std::string::npos) return false;
  i = close + 1;
  if (i < line.size() && line[i] == ']') ++i;
  const std::size_t rest = line.find_first_not_of(" \t", i);
  if (rest != std::string::npos && line[rest] != '#') return false;
  name = line.substr(begin, end - begin);
  return true;
}

// The config with the population tables' lines replaced by empty lines.
std::string scenario_part(const std::string& text) {
  std::istringstream in(text);
  std::ostringstream out;
  std::string line, name;
  bool ours = false;
  while (std::getline(in, line)) {
    if (header_name(line, name))
      ours = std::find(kPopulationTables.begin(), kPopulationTables.end(), name) !=
             kPopulationTables.end();
    out << (ours ? "" : line) << "\n";
  }
  return out.str();
}

class Reader {
 public:
  explicit Reader(std::string file) : file_(std::move(file)) {}

  [[noreturn]] void fail(const toml::node* n, const std::string& key,
                         const std::string& problem) const {
    throw ConfigError(file_, n ? static_cast<int>(n->source().begin.line) : 0, key, problem);
  }
  void check_keys(const toml::table& t, const std::string& path,
                  const std::vector<std::string>& allowed) const {
    for (const auto& [k, v] : t)
      if (std::find(allowed.begin(), allowed.end(), std::string(k.str())) == allowed.end()) {
        std::string list;
        for (const std::string& a : allowed) list += (list.empty() ? "" : ", ") + a;
        fail(&v, path + "." + std::string(k.str()), "unknown key (allowed: " + list + ")");
      }
  }
  double number(const toml::table& t, const std::string& key, const std::string& path,
                double fallback, double lo, double hi) const {
    const toml::node* n = t.get(key);
    if (!n) return fallback;
    const auto v = n->value<double>();
    if (!v) fail(n, path + "." + key, "expected a number");
    if (!(*v >= lo && *v <= hi))
      fail(n, path + "." + key,
           "must be in [" + format_number(lo) + ", " + format_number(hi) + "]");
    return *v;
  }
  double quantity(const toml::table& t, const std::string& key, const std::string& path,
                  const ExpectedDimension& dim, double fallback) const {
    const toml::node* n = t.get(key);
    if (!n) return fallback;
    if (const auto s = n->value<std::string>()) {
      try {
        return parse_quantity(*s, dim);
      } catch (const UnitError& e) {
        fail(n, path + "." + key, e.what());
      }
    }
    if (const auto v = n->value<double>(); v && dim.dimension() == Dimension{}) return *v;
    fail(n, path + "." + key,
         "expected a quantity with a unit of " + dim.name() + ", e.g. \"" + dim.examples() + "\"");
  }
  std::string string(const toml::table& t, const std::string& key, const std::string& path,
                     const std::string& fallback, bool required = false) const {
    const toml::node* n = t.get(key);
    if (!n) {
      if (required) fail(&t, path + "." + key, "missing");
      return fallback;
    }
    const auto s = n->value<std::string>();
    if (!s) fail(n, path + "." + key, "expected a string");
    return *s;
  }

 private:
  std::string file_;
};

std::size_t arm_index(const Reader& r, const ScenarioSpec& spec, const toml::node* n,
                      const std::string& key, const std::string& name) {
  std::string names;
  for (std::size_t i = 0; i < spec.arms.size(); ++i) {
    if (spec.arms[i].name == name) return i;
    names += (names.empty() ? "" : ", ") + spec.arms[i].name;
  }
  r.fail(n, key, "no arm '" + name + "' (arms: " + names + ")");
}

// A distribution table: { distribution = "lognormal", cv = 0.3 } and friends.
Distribution read_distribution(const Reader& r, const toml::table& t, const std::string& path,
                               const ExpectedDimension& dim,
                               const std::vector<std::string>& extra) {
  std::vector<std::string> keys{"distribution", "median", "mean", "cv",  "omega",
                                "sd",           "min",    "max",  "low", "high"};
  keys.insert(keys.end(), extra.begin(), extra.end());
  r.check_keys(t, path, keys);
  Distribution d;
  const std::string kind = r.string(t, "distribution", path, "lognormal");
  const double inf = std::numeric_limits<double>::infinity();
  d.min = r.quantity(t, "min", path, dim, -inf);
  d.max = r.quantity(t, "max", path, dim, inf);
  if (kind == "lognormal") {
    d.kind = Distribution::Kind::kLogNormal;
    d.center = r.quantity(t, "median", path, dim, d.center);
    if (t.get("median") && !(d.center > 0.0))  // a log-normal lives on (0, inf)
      r.fail(t.get("median"), path + ".median",
             "got " + format_quantity(d.center, dim) +
                 " (allowed: > 0; a log-normal median is positive)");
    if (t.get("omega") && t.get("cv"))
      r.fail(t.get("cv"), path + ".cv", "give cv or omega, not both");
    if (t.get("omega")) {
      d.omega = r.number(t, "omega", path, 0.0, 0.0, 5.0);
    } else {
      const double cv = r.number(t, "cv", path, 0.0, 0.0, 20.0);
      d.omega = std::sqrt(std::log1p(cv * cv));  // CV of a log-normal: sqrt(exp(w^2) - 1)
    }
  } else if (kind == "normal") {
    d.kind = Distribution::Kind::kNormal;
    d.center = r.quantity(t, "mean", path, dim, d.center);
    d.sd = r.quantity(t, "sd", path, dim, d.sd);
    d.cv = r.number(t, "cv", path, d.cv, 0.0, 20.0);
    if (std::isnan(d.sd) && std::isnan(d.cv))
      r.fail(&t, path, "a normal distribution needs sd or cv");
  } else if (kind == "uniform") {
    d.kind = Distribution::Kind::kUniform;
    if (!t.get("low") || !t.get("high"))
      r.fail(&t, path, "a uniform distribution needs low and high");
    d.low = r.quantity(t, "low", path, dim, 0.0);
    d.high = r.quantity(t, "high", path, dim, 0.0);
    if (!(d.high >= d.low)) r.fail(t.get("high"), path + ".high", "must be >= low");
  } else {
    r.fail(t.get("distribution"), path + ".distribution",
           "unknown '" + kind + "' (allowed: lognormal, normal, uniform)");
  }
  if (!(d.max >= d.min)) r.fail(t.get("max"), path + ".max", "must be >= min");
  return d;
}

const toml::table* sub_table(const Reader& r, const toml::table& root, const std::string& key) {
  const toml::node* n = root.get(key);
  if (!n) return nullptr;
  if (!n->is_table()) r.fail(n, key, "expected a table [" + key + "]");
  return n->as_table();
}

std::vector<const toml::table*> table_array(const Reader& r, const toml::table& root,
                                            const std::string& key) {
  std::vector<const toml::table*> out;
  const toml::node* n = root.get(key);
  if (!n) return out;
  if (!n->is_array_of_tables()) r.fail(n, key, "expected [[" + key + "]] tables");
  for (const toml::node& e : *n->as_array()) out.push_back(e.as_table());
  return out;
}

void read_population_table(const Reader& r, const toml::table& root, PopulationSpec& ps) {
  const toml::table* p = sub_table(r, root, "population");
  if (!p) r.fail(&root, "population", "missing [population] table");
  r.check_keys(*p, "population",
               {"subjects", "seed", "arms", "band_step", "blocked_occupancy", "rewarding_effect",
                "peak_window", "peak_step"});
  ps.subjects = static_cast<std::uint64_t>(r.number(*p, "subjects", "population", 100, 1, 1e7));
  ps.seed = static_cast<std::uint64_t>(r.number(*p, "seed", "population", 1, 0, 9.007e15));
  ps.band_step_h = r.quantity(*p, "band_step", "population", dim::time(), 2.0);
  ps.blocked_occupancy = r.number(*p, "blocked_occupancy", "population", 0.9, 0.0, 1.0);
  ps.rewarding_effect = r.number(*p, "rewarding_effect", "population", 0.2, 0.0, 1.0);
  ps.peak_window_h = r.quantity(*p, "peak_window", "population", dim::time(), 3.0);
  ps.peak_step_h = r.quantity(*p, "peak_step", "population", dim::time(), 2.0 / 60.0);
  if (!(ps.band_step_h > 0)) r.fail(p->get("band_step"), "population.band_step", "must be > 0");
  if (!(ps.peak_step_h > 0) || !(ps.peak_window_h >= 0))
    r.fail(p, "population.peak_step", "peak_step must be > 0 and peak_window >= 0");
  if (const toml::node* a = p->get("arms")) {
    if (!a->is_array()) r.fail(a, "population.arms", "expected a list of arm names");
    for (const toml::node& e : *a->as_array()) {
      const auto s = e.value<std::string>();
      if (!s) r.fail(&e, "population.arms", "expected arm names");
      ps.arms.push_back(arm_index(r, ps.scenario, &e, "population.arms", *s));
    }
  } else {
    for (std::size_t i = 0; i < ps.scenario.arms.size(); ++i) ps.arms.push_back(i);
  }
}

void read_variability(const Reader& r, const toml::table& root, PopulationSpec& ps) {
  for (const toml::table* t : table_array(r, root, "variability")) {
    const std::string path = r.string(*t, "parameter", "variability", "", true);
    try {
      SettablePath target(ps.scenario, path);
      if (target.is_count())
        r.fail(t->get("parameter"), "variability.parameter",
               "'" + path +
                   "' is a count of doses, not a quantity that varies between subjects "
                   "(adherence is drawn by [[adherence]])");
      Distribution d = read_distribution(r, *t, "variability", target.dimension(), {"parameter"});
      if (target.must_be_positive() && d.kind != Distribution::Kind::kLogNormal)
        d.min = std::max(d.min, 0.0);  // a normal draw below zero is redrawn
      ps.variability.push_back({std::move(target), d});
    } catch (const std::invalid_argument& e) {
      r.fail(t->get("parameter"), "variability.parameter", e.what());
    }
  }
  const toml::table* c = sub_table(r, root, "correlation");
  if (!c) return;
  r.check_keys(*c, "correlation", {"parameters", "matrix"});
  const toml::array* names = c->get_as<toml::array>("parameters");
  const toml::array* rows = c->get_as<toml::array>("matrix");
  if (!names || !rows)
    r.fail(c, "correlation", "needs parameters = [...] and matrix = [[...], ...]");
  std::vector<std::size_t> idx;
  for (const toml::node& e : *names) {
    const auto s = e.value<std::string>();
    std::size_t k = ps.variability.size();
    for (std::size_t i = 0; s && i < ps.variability.size(); ++i)
      if (ps.variability[i].target.path() == *s) k = i;
    if (k == ps.variability.size())
      r.fail(&e, "correlation.parameters", "not a parameter of a [[variability]] table");
    idx.push_back(k);
  }
  const std::size_t n = ps.variability.size();
  ps.correlation.assign(n, std::vector<double>(n, 0.0));
  for (std::size_t i = 0; i < n; ++i) ps.correlation[i][i] = 1.0;
  if (rows->size() != idx.size())
    r.fail(rows, "correlation.matrix", "must be square, one row per parameter");
  for (std::size_t i = 0; i < idx.size(); ++i) {
    const toml::array* row = (*rows)[i].as_array();
    if (!row || row->size() != idx.size())
      r.fail(&(*rows)[i], "correlation.matrix", "must be square, one row per parameter");
    for (std::size_t j = 0; j < idx.size(); ++j) {
      const auto v = (*row)[j].value<double>();
      if (!v || *v < -1 || *v > 1) r.fail(&(*row)[j], "correlation.matrix", "entries in [-1, 1]");
      if (i == j && *v != 1.0) r.fail(&(*row)[j], "correlation.matrix", "the diagonal is 1");
      ps.correlation[idx[i]][idx[j]] = *v;
    }
  }
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < n; ++j)
      if (ps.correlation[i][j] != ps.correlation[j][i])
        r.fail(rows, "correlation.matrix", "must be symmetric");
}

void read_weight(const Reader& r, const toml::table& root, PopulationSpec& ps) {
  const toml::table* w = sub_table(r, root, "weight");
  if (!w) return;
  static const ExpectedDimension kg("mass", "kg", "kg");
  WeightCovariate& wc = ps.weight;
  wc.enabled = true;
  wc.dist = read_distribution(r, *w, "weight", dim::mass(),
                              {"reference", "clearance_exponent", "volume_exponent", "compounds"});
  // mg internally; the covariate works in kg.
  for (double* v :
       {&wc.dist.center, &wc.dist.sd, &wc.dist.low, &wc.dist.high, &wc.dist.min, &wc.dist.max})
    *v *= 1e-6;
  wc.reference_kg = r.quantity(*w, "reference", "weight", dim::mass(), 70e6) * 1e-6;
  if (std::isnan(wc.dist.center)) wc.dist.center = wc.reference_kg;
  wc.dist.min = std::max(wc.dist.min, 1.0);  // no subject lighter than 1 kg
  wc.clearance_exponent = r.number(*w, "clearance_exponent", "weight", 0.75, -3, 3);
  wc.volume_exponent = r.number(*w, "volume_exponent", "weight", 1.0, -3, 3);
  if (const toml::array* cs = w->get_as<toml::array>("compounds")) {
    for (const toml::node& e : *cs) {
      const auto s = e.value<std::string>();
      std::size_t k = ps.scenario.compounds.size();
      for (std::size_t i = 0; s && i < ps.scenario.compounds.size(); ++i)
        if (ps.scenario.compounds[i].name == *s) k = i;
      if (k == ps.scenario.compounds.size())
        r.fail(&e, "weight.compounds", "not a compound of the scenario");
      wc.compounds.push_back(k);
    }
  } else {
    for (std::size_t i = 0; i < ps.scenario.compounds.size(); ++i) wc.compounds.push_back(i);
  }
}

void read_adherence(const Reader& r, const toml::table& root, PopulationSpec& ps) {
  for (const toml::table* t : table_array(r, root, "adherence")) {
    const std::string P = "adherence";
    r.check_keys(*t, P,
                 {"arm", "formulation", "p_take", "p_stay_adherent", "p_stay_lapse",
                  "late_probability", "late_mean", "late_max", "stop", "dropout_per_week"});
    AdherenceModel a;
    a.arm = arm_index(r, ps.scenario, t->get("arm"), P + ".arm", r.string(*t, "arm", P, "", true));
    a.formulation = r.string(*t, "formulation", P, "", true);
    bool found = false;
    for (const DoseRecord& d : ps.scenario.arms[a.arm].doses)
      found |= d.formulation == a.formulation;
    if (!found)
      r.fail(t->get("formulation"), P + ".formulation",
             "arm has no dose of '" + a.formulation + "'");
    const bool markov = t->get("p_stay_adherent") || t->get("p_stay_lapse");
    if (markov && t->get("p_take"))
      r.fail(
          t->get("p_take"), P + ".p_take",
          "give p_take (independent doses) or p_stay_adherent and p_stay_lapse (Markov), not both");
    a.markov = markov;
    a.p_take = r.number(*t, "p_take", P, 1.0, 0, 1);
    a.p_stay_adherent = r.number(*t, "p_stay_adherent", P, 1.0, 0, 1);
    a.p_stay_lapse = r.number(*t, "p_stay_lapse", P, 0.0, 0, 1);
    if (markov && a.p_stay_lapse >= 1.0)
      r.fail(t->get("p_stay_lapse"), P + ".p_stay_lapse",
             "must be < 1 (a lapse must be able to end)");
    a.late_probability = r.number(*t, "late_probability", P, 0.0, 0, 1);
    a.late_mean_h = r.quantity(*t, "late_mean", P, dim::time(), 0.0);
    a.late_max_h = r.quantity(*t, "late_max", P, dim::time(), 4.0 * a.late_mean_h);
    a.stop_h = r.quantity(*t, "stop", P, dim::time(), a.stop_h);
    a.dropout_per_week = r.number(*t, "dropout_per_week", P, 0.0, 0, 1e3);
    if (a.late_mean_h < 0 || a.late_max_h < 0) r.fail(t, P + ".late_mean", "delays must be >= 0");
    ps.adherence.push_back(a);
  }
}

void read_heroin(const Reader& r, const toml::table& root, PopulationSpec& ps) {
  const toml::table* h = sub_table(r, root, "heroin");
  if (!h) return;
  const std::string P = "heroin";
  HeroinUse& hu = ps.heroin;
  const std::string pattern = r.string(*h, "pattern", P, "fixed");
  if (pattern == "fixed") {
    r.check_keys(*h, P, {"pattern"});
    return;
  }
  if (pattern != "poisson") r.fail(h->get("pattern"), P + ".pattern", "allowed: fixed, poisson");
  hu.random = true;
  r.check_keys(*h, P, {"pattern", "formulation", "uses_per_week", "amount", "start", "end"});
  const std::string f = r.string(*h, "formulation", P, "", true);
  hu.formulation = ps.scenario.formulations.size();
  for (std::size_t i = 0; i < ps.scenario.formulations.size(); ++i)
    if (ps.scenario.formulations[i].name == f) hu.formulation = i;
  if (hu.formulation == ps.scenario.formulations.size())
    r.fail(h->get("formulation"), P + ".formulation",
           "'" + f + "' is not used by the scenario (add it to [scenario] use)");
  hu.uses_per_week = r.number(*h, "uses_per_week", P, 1.0, 0, 1000);
  const toml::node* amount = h->get("amount");
  if (!amount) r.fail(h, P + ".amount", "missing (\"25 mg\" or a distribution table)");
  if (amount->is_table()) {
    hu.amount_mg = read_distribution(r, *amount->as_table(), P + ".amount", dim::mass(), {});
    if (std::isnan(hu.amount_mg.center)) r.fail(amount, P + ".amount", "needs a median or mean");
  } else {
    hu.amount_mg.center = r.quantity(*h, "amount", P, dim::mass(), 0.0);
    hu.amount_mg.omega = 0.0;
  }
  hu.amount_mg.min = std::max(hu.amount_mg.min, 1e-6);
  hu.start_h = r.quantity(*h, "start", P, dim::time(), ps.scenario.grid.t_start_h);
  hu.end_h = r.quantity(*h, "end", P, dim::time(), ps.scenario.grid.t_end_h - ps.peak_window_h);
  if (!(hu.end_h > hu.start_h)) r.fail(h, P + ".end", "must be after start");
}

PopulationSpec load(const std::string& text, const std::string& display_name,
                    const ModelLibrary& library) {
  PopulationSpec ps;
  ps.path = display_name;
  ps.text = text;
  ps.scenario = load_scenario_text(scenario_part(text), display_name, library);
  if (!ps.scenario.receptor.operational_effect)
    throw ConfigError(display_name, 0, "receptor.operational_effect",
                      "a population counts rewarding heroin uses from the agonist effect, and "
                      "this receptor model has none (allowed: a receptor with an operational "
                      "effect)");
  toml::table root;
  config::check_toml_shape(text, display_name);
  try {
    root = toml::parse(text, display_name);
  } catch (const toml::parse_error& e) {
    throw ConfigError(display_name, static_cast<int>(e.source().begin.line), "",
                      e.description().data());
  }
  const Reader r(display_name);
  read_population_table(r, root, ps);
  read_variability(r, root, ps);
  read_weight(r, root, ps);
  read_adherence(r, root, ps);
  read_heroin(r, root, ps);
  return ps;
}

}  // namespace

bool is_population_config(const std::string& text) {
  std::istringstream in(text);
  std::string line, name;
  while (std::getline(in, line))
    if (header_name(line, name) && name == "population") return true;
  return false;
}

PopulationSpec load_population_text(const std::string& text, const std::string& display_name,
                                    const ModelLibrary& library) {
  return load(text, display_name, library);
}

PopulationSpec load_population_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ConfigError(path, 0, "", "cannot read the file");
  std::ostringstream ss;
  ss << in.rdbuf();
  const std::string text = ss.str();
  // The same model search as `morsim run` (config/model_library.cpp).
  return load(text, path, *model_library_for(path, text));
}

double Distribution::value(double z, double typical) const {
  const double c = std::isnan(center) ? typical : center;
  switch (kind) {
    case Kind::kLogNormal:
      return c * std::exp(omega * z);
    case Kind::kNormal:
      return c + (std::isnan(sd) ? cv * c : sd) * z;
    case Kind::kUniform:
      return low + (high - low) * 0.5 * std::erfc(-z / std::sqrt(2.0));
  }
  return c;
}

bool Distribution::degenerate() const {
  switch (kind) {
    case Kind::kLogNormal:
      return omega == 0.0;
    case Kind::kNormal:
      return (std::isnan(sd) ? cv : sd) == 0.0;
    case Kind::kUniform:
      return high == low;
  }
  return true;
}

}  // namespace morsim::population
