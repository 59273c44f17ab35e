// Sweep file parsing with toml++; values with units go through the units parser.
#include "sweep/sweep_spec.hpp"

#include <toml++/toml.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "config/load_scenario.hpp"
#include "config/toml_shape.hpp"
#include "model/errors.hpp"
#include "pk/dose_schedule.hpp"
#include "units/units.hpp"

namespace morsim::sweep {

namespace {

namespace fs = std::filesystem;

struct Reader {
  std::string file;
  [[noreturn]] void fail(const toml::node* n, const std::string& key,
                         const std::string& what) const {
    throw ConfigError(file, n ? static_cast<int>(n->source().begin.line) : 0, key, what);
  }
  void check_keys(const toml::table& t, const std::string& where,
                  const std::vector<std::string>& allowed) const {
    for (const auto& [k, v] : t) {
      bool ok = false;
      for (const std::string& a : allowed) ok = ok || a == k.str();
      if (!ok) {
        std::string list;
        for (const std::string& a : allowed) list += (list.empty() ? "" : ", ") + a;
        fail(&v, where + "." + std::string(k.str()), "unknown key (allowed: " + list + ")");
      }
    }
  }
  std::string str(const toml::table& t, const char* key, const std::string& where,
                  const std::string& def, bool required = false) const {
    const toml::node* n = t.get(key);
    if (!n) {
      if (required) fail(&t, where + "." + key, "missing");
      return def;
    }
    if (!n->is_string()) fail(n, where + "." + key, "expected a string");
    return n->value<std::string>().value();
  }
  // "25 mg", or a bare number for dimensionless quantities.
  double quantity(const toml::node& n, const std::string& key, const ExpectedDimension& e) const {
    try {
      if (n.is_string()) return parse_quantity(n.value<std::string>().value(), e);
      if (n.is_number()) {
        const double v = n.value<double>().value();
        if (e.dimension() == dim::dimensionless().dimension()) return v;
        fail(&n, key, "a bare number needs a unit here: " + e.name() + " (" + e.examples() + ")");
      }
    } catch (const UnitError& err) {
      fail(&n, key, err.what());
    }
    fail(&n, key, "expected a quantity such as \"1 " + e.internal_unit() + "\"");
  }
  double quantity(const toml::table& t, const char* key, const std::string& where,
                  const ExpectedDimension& e, double def, bool required = false) const {
    const toml::node* n = t.get(key);
    if (!n) {
      if (required) fail(&t, where + "." + key, "missing");
      return def;
    }
    return quantity(*n, where + "." + key, e);
  }
};

Axis read_axis(const Reader& r, const toml::table& t, const std::string& where,
               const ExpectedDimension& e) {
  Axis a;
  int given = 0;
  if (const toml::array* vals = t.get_as<toml::array>("values")) {
    ++given;
    a.kind = Axis::Kind::kValues;
    for (const toml::node& v : *vals) a.values.push_back(r.quantity(v, where + ".values", e));
    if (a.values.empty()) r.fail(vals, where + ".values", "empty list");
  }
  if (const toml::table* rg = t.get_as<toml::table>("range")) {
    ++given;
    const std::string w = where + ".range";
    r.check_keys(*rg, w, {"from", "to", "n", "scale"});
    a.kind = Axis::Kind::kRange;
    a.from = r.quantity(*rg, "from", w, e, 0, true);
    a.to = r.quantity(*rg, "to", w, e, 0, true);
    const auto n = rg->get("n") ? rg->get("n")->value<std::int64_t>() : std::nullopt;
    if (!n || *n < 1) r.fail(rg, w + ".n", "expected an integer >= 1");
    const std::string scale = r.str(*rg, "scale", w, "linear");
    if (scale != "linear" && scale != "log") r.fail(rg, w + ".scale", "expected linear or log");
    a.log_scale = scale == "log";
    if (a.log_scale && !(a.from > 0 && a.to > 0)) r.fail(rg, w, "a log range needs positive ends");
    for (std::int64_t i = 0; i < *n; ++i) {
      const double w01 = *n == 1 ? 0.0 : static_cast<double>(i) / static_cast<double>(*n - 1);
      a.values.push_back(
          a.log_scale ? std::exp(std::log(a.from) + w01 * (std::log(a.to) - std::log(a.from)))
                      : a.from + w01 * (a.to - a.from));
    }
    a.values.back() = a.to;  // exactly the written end
  }
  if (const toml::table* d = t.get_as<toml::table>("distribution")) {
    ++given;
    const std::string w = where + ".distribution";
    r.check_keys(*d, w, {"type", "from", "to", "median", "mean", "cv"});
    a.kind = Axis::Kind::kDistribution;
    const std::string type = r.str(*d, "type", w, "", true);
    if (type == "uniform" || type == "log-uniform") {
      a.dist = type == "uniform" ? Axis::Dist::kUniform : Axis::Dist::kLogUniform;
      a.from = r.quantity(*d, "from", w, e, 0, true);
      a.to = r.quantity(*d, "to", w, e, 0, true);
    } else if (type == "log-normal" || type == "lognormal") {
      a.dist = Axis::Dist::kLogNormal;
      const double cv = r.quantity(*d, "cv", w, dim::dimensionless(), 0, true);
      if (!(cv > 0)) r.fail(d, w + ".cv", "must be > 0");
      a.sigma = std::sqrt(std::log1p(cv * cv));
      if (d->get("median"))
        a.median = r.quantity(*d, "median", w, e, 0);
      else
        a.median = r.quantity(*d, "mean", w, e, 0, true) / std::sqrt(1 + cv * cv);
    } else {
      r.fail(d, w + ".type", "expected uniform, log-uniform or log-normal");
    }
  }
  if (given != 1) r.fail(&t, where, "give exactly one of values, range, distribution");
  return a;
}

Metric read_metric(const Reader& r, const toml::table& t, const std::string& where,
                   bool has_challenge) {
  r.check_keys(t, where, {"name", "kind", "level", "after", "from", "to", "lo", "hi"});
  Metric m;
  const std::string kind = r.str(t, "kind", where, "", true);
  m.name = r.str(t, "name", where, kind);
  const auto& one = dim::dimensionless();
  if (kind == "peak_agonist_occupancy") {
    m.kind = MetricKind::kPeakAgonist, m.units = "1";
  } else if (kind == "agonist_occupancy_at") {
    m.kind = MetricKind::kAgonistAt, m.units = "1";
    m.after_h = r.quantity(t, "after", where, dim::time(), 0, true);
  } else if (kind == "time_above") {
    m.kind = MetricKind::kTimeAbove, m.units = "h";
    m.level = r.quantity(t, "level", where, one, 0, true);
  } else if (kind == "agonist_auc") {
    m.kind = MetricKind::kAgonistAuc, m.units = "h";
  } else if (kind == "blockade") {
    m.kind = MetricKind::kBlockade, m.units = "1";
  } else if (kind == "peak_agonist_effect") {
    m.kind = MetricKind::kPeakEffect, m.units = "1";
  } else if (kind == "effect_blockade") {
    m.kind = MetricKind::kEffectBlockade, m.units = "1";
  } else if (kind == "coverage") {
    m.kind = MetricKind::kCoverage, m.units = "h";
    m.level = r.quantity(t, "level", where, one, 0, true);
    m.from_h = r.quantity(t, "from", where, dim::time(), 0);
    m.to_h = r.quantity(t, "to", where, dim::time(), 0, true);
    if (!(m.to_h > m.from_h)) r.fail(&t, where + ".to", "must be after 'from'");
  } else if (kind == "surmount_dose") {
    m.kind = MetricKind::kSurmountDose, m.units = "mg";
    m.level = r.quantity(t, "level", where, one, 0, true);
    m.lo_mg = r.quantity(t, "lo", where, dim::mass(), 0.01);
    m.hi_mg = r.quantity(t, "hi", where, dim::mass(), 1e5);
  } else {
    r.fail(&t, where + ".kind",
           "unknown metric '" + kind +
               "' (allowed: peak_agonist_occupancy, agonist_occupancy_at, time_above, "
               "agonist_auc, blockade, peak_agonist_effect, effect_blockade, coverage, "
               "surmount_dose)");
  }
  if (m.kind != MetricKind::kCoverage && !has_challenge)
    r.fail(&t, where + ".kind", "'" + kind + "' needs a [challenge] dose");
  return m;
}

}  // namespace

std::size_t SweepSpec::trajectory_points() const {
  if (!(trajectory_step_h > 0)) return 0;
  return static_cast<std::size_t>(std::floor(window_h / trajectory_step_h + 1e-9)) + 1;
}

std::vector<std::string> SweepSpec::parameter_names() const {
  std::vector<std::string> out;
  for (const SweepParameter& p : parameters) out.push_back(p.target.path());
  return out;
}
std::vector<std::string> SweepSpec::parameter_units() const {
  std::vector<std::string> out;
  for (const SweepParameter& p : parameters) out.push_back(p.target.dimension().internal_unit());
  return out;
}
std::vector<std::string> SweepSpec::metric_names() const {
  std::vector<std::string> out;
  for (const Metric& m : metrics) out.push_back(m.name);
  return out;
}
std::vector<std::string> SweepSpec::metric_units() const {
  std::vector<std::string> out;
  for (const Metric& m : metrics) out.push_back(m.units);
  return out;
}

SweepSpec load_sweep_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ConfigError(path, 0, "", "cannot read the sweep file");
  std::stringstream ss;
  ss << in.rdbuf();
  return load_sweep_text(ss.str(), path);
}

SweepSpec load_sweep_text(const std::string& text, const std::string& path) {
  Reader r{path};
  toml::table root;
  config::check_toml_shape(text, path);
  try {
    root = toml::parse(text, path);
  } catch (const toml::parse_error& e) {
    throw ConfigError(path, static_cast<int>(e.source().begin.line), "",
                      std::string(e.description()));
  }
  r.check_keys(root, "", {"sweep", "challenge", "parameter", "metric", "trajectories"});
  const toml::table* s = root.get_as<toml::table>("sweep");
  if (!s) r.fail(&root, "sweep", "missing [sweep] table");
  r.check_keys(*s, "sweep",
               {"name", "base", "arm", "design", "n", "seed", "window", "peak_step", "peak_span",
                "step", "rtol", "atol"});
  SweepSpec sw;
  sw.path = path;
  sw.text = text;
  sw.name = r.str(*s, "name", "sweep", fs::path(path).stem().string());
  const std::string base = r.str(*s, "base", "sweep", "", true);
  sw.base_path =
      (fs::path(base).is_absolute() ? fs::path(base) : fs::path(path).parent_path() / base)
          .lexically_normal()
          .string();
  sw.base = load_scenario_file(sw.base_path);
  const std::string arm = r.str(*s, "arm", "sweep", sw.base.arms.front().name);
  sw.arm = sw.base.arms.size();
  for (std::size_t i = 0; i < sw.base.arms.size(); ++i)
    if (sw.base.arms[i].name == arm) sw.arm = i;
  if (sw.arm == sw.base.arms.size())
    r.fail(s->get("arm"), "sweep.arm", "no arm '" + arm + "' in the base scenario");
  try {  // refused at load, before any work, rather than by every scenario
    require_inputs_only(sw.base.arms[sw.arm], "sweeps");
  } catch (const ModelError& e) {
    r.fail(s->get("arm") ? s->get("arm") : s, "sweep.arm", e.what());
  }
  sw.window_h = r.quantity(*s, "window", "sweep", dim::time(), 48.0);
  sw.peak_step_h = r.quantity(*s, "peak_step", "sweep", dim::time(), 0.5 / 60);
  sw.peak_span_h = r.quantity(*s, "peak_span", "sweep", dim::time(), 6.0);
  sw.step_h = r.quantity(*s, "step", "sweep", dim::time(), 0.25);
  if (!(sw.window_h > 0 && sw.peak_step_h > 0 && sw.step_h > 0))
    r.fail(s, "sweep", "window, peak_step and step must be positive");
  sw.rtol = r.quantity(*s, "rtol", "sweep", dim::dimensionless(), 0.0);
  sw.atol = r.quantity(*s, "atol", "sweep", dim::dimensionless(), 0.0);
  if (sw.rtol > 0) sw.base.solver.rtol = sw.rtol;
  if (sw.atol > 0) sw.base.solver.atol = sw.atol;
  const toml::node* seed = s->get("seed");
  sw.seed = seed ? static_cast<std::uint64_t>(seed->value<std::int64_t>().value_or(0)) : 0;

  if (const toml::table* c = root.get_as<toml::table>("challenge")) {
    r.check_keys(*c, "challenge", {"formulation", "amount", "time"});
    const std::string f = r.str(*c, "formulation", "challenge", "", true);
    sw.challenge.present = true;
    sw.challenge.formulation = sw.base.formulations.size();
    for (std::size_t i = 0; i < sw.base.formulations.size(); ++i)
      if (sw.base.formulations[i].name == f) sw.challenge.formulation = i;
    if (sw.challenge.formulation == sw.base.formulations.size())
      r.fail(c->get("formulation"), "challenge.formulation",
             "'" + f + "' is not a formulation of the base scenario (add it to its `use`)");
    sw.challenge.amount_mg = r.quantity(*c, "amount", "challenge", dim::mass(), 0, true);
    sw.challenge.time_h = r.quantity(*c, "time", "challenge", dim::time(), 0, true);
  }

  std::vector<Axis> axes;
  if (const toml::array* ps = root.get_as<toml::array>("parameter")) {
    for (std::size_t i = 0; i < ps->size(); ++i) {
      const toml::table* t = (*ps)[i].as_table();
      const std::string w = "parameter[" + std::to_string(i) + "]";
      if (!t) r.fail(&(*ps)[i], w, "expected a table");
      r.check_keys(*t, w, {"path", "values", "range", "distribution"});
      const std::string p = r.str(*t, "path", w, "", true);
      try {
        SweepParameter sp{ParameterPath(sw.base, p, sw.challenge.present), Axis{},
                          static_cast<int>(t->source().begin.line)};
        sp.axis = read_axis(r, *t, w, sp.target.dimension());
        axes.push_back(sp.axis);
        sw.parameters.push_back(std::move(sp));
      } catch (const std::invalid_argument& e) {
        r.fail(t->get("path"), w + ".path", e.what());
      }
    }
  }
  if (const toml::array* ms = root.get_as<toml::array>("metric")) {
    for (std::size_t i = 0; i < ms->size(); ++i) {
      const toml::table* t = (*ms)[i].as_table();
      const std::string w = "metric[" + std::to_string(i) + "]";
      if (!t) r.fail(&(*ms)[i], w, "expected a table");
      sw.metrics.push_back(read_metric(r, *t, w, sw.challenge.present));
      const MetricKind k = sw.metrics.back().kind;
      if (!sw.base.receptor.operational_effect &&
          (k == MetricKind::kPeakEffect || k == MetricKind::kEffectBlockade))
        r.fail(t->get("kind"), w + ".kind",
               "the base scenario's receptor model has no operational effect "
               "(receptor.operational_effect = false) (allowed: occupancy metrics)");
    }
  }
  if (sw.metrics.empty()) r.fail(&root, "metric", "no [[metric]] given");
  if (sw.parameters.empty()) r.fail(&root, "parameter", "no [[parameter]] given");
  if (const toml::table* tr = root.get_as<toml::table>("trajectories")) {
    r.check_keys(*tr, "trajectories", {"step"});
    if (!sw.challenge.present) r.fail(tr, "trajectories", "trajectories need a [challenge]");
    sw.trajectory_step_h = r.quantity(*tr, "step", "trajectories", dim::time(), 0, true);
  }

  const std::string design = r.str(*s, "design", "sweep", "grid");
  const toml::node* n = s->get("n");
  try {
    const DesignKind kind = parse_design_kind(design);
    const std::int64_t count = n ? n->value<std::int64_t>().value_or(0) : 0;
    if (kind != DesignKind::kGrid && count < 1)
      r.fail(s, "sweep.n", "a sampled design needs n >= 1");
    sw.design =
        std::make_unique<Design>(kind, std::move(axes), static_cast<std::uint64_t>(count), sw.seed);
  } catch (const std::invalid_argument& e) {
    r.fail(s->get("design") ? s->get("design") : s, "sweep.design", e.what());
  }
  return sw;
}

}  // namespace morsim::sweep
