// Tables and the model-file snippet, laid out for a terminal.
#include "fit/fit_report.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <sstream>

#include "config/schema.hpp"
#include "units/units.hpp"

namespace morsim::fit {

namespace {

std::string num(double v, int digits = 4) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*g", digits, v);
  return buf;
}

std::string pad(const std::string& s, std::size_t w) {
  return s.size() >= w ? s + " " : s + std::string(w - s.size(), ' ');
}

bool contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

std::string datasets_of(const FitSpec& spec, std::size_t i) {
  std::string s;
  for (const Dataset& d : spec.datasets)
    if (d.uses_parameter[i]) s += (s.empty() ? "" : ", ") + d.name;
  return s;
}

std::string bound_text(const FitParameter& p) {
  return "[" + (p.lower_text.empty() ? std::string("-inf") : p.lower_text) + ", " +
         (p.upper_text.empty() ? std::string("inf") : p.upper_text) + "]";
}

}  // namespace

ModelLocation model_location(const FitSpec& spec, const std::string& path) {
  const std::size_t dot = path.find('.');
  const std::string owner = path.substr(0, dot),
                    rest = dot == std::string::npos ? "" : path.substr(dot + 1);
  ModelLocation loc;
  const std::string leaf =
      rest.substr(rest.rfind('.') == std::string::npos ? 0 : rest.rfind('.') + 1);
  loc.key = leaf.substr(0, leaf.find('['));
  const Dataset* where = nullptr;
  for (const Dataset& d : spec.datasets)
    if (d.base.find_compound(owner) || d.base.find_formulation(owner)) {
      where = &d;
      break;
    }
  if (owner == "receptor") {
    loc.file = "models/receptor/mor.toml (or the scenario's [receptor] table)";
    return loc;
  }
  if (!where) {
    loc.file = "(unknown)";
    return loc;
  }
  const bool compound = where->base.find_compound(owner) != nullptr;
  const std::string rel = std::string(compound ? "compounds/" : "formulations/") + owner + ".toml";
  loc.file = where->scenario.library->find(rel)
                 ? "models/" + rel
                 : where->scenario.path + " ([[" + (compound ? "compound" : "formulation") +
                       "]] name = \"" + owner + "\")";
  if (compound) {
    if (rest.rfind("peripheral[", 0) == 0) {
      loc.table = "[[pk.peripheral]]  # entry " + rest.substr(11, rest.find(']') - 11);
    } else if (rest.rfind("metabolites[", 0) == 0) {
      loc.table = "[pk]  # metabolites[" + rest.substr(12, rest.find(']') - 12) + "]";
    } else if (rest == "molar_mass") {
      loc.table = "";
    } else if (contains(config::kPkKeys, rest)) {
      loc.table = "[pk]";
    } else if (contains(config::kBrainKeys, rest)) {
      loc.table = "[brain]";
    } else if (contains(config::kBindingKeys, rest)) {
      loc.table = "[binding]";
    }
    return loc;
  }
  if (rest.rfind("first_pass[", 0) == 0) {
    loc.table = "# first_pass[" + rest.substr(11, rest.find(']') - 11) + "]";
  } else if (const std::size_t d2 = rest.find('.'); d2 != std::string::npos) {
    loc.table = "[[phase]]  # name = \"" + rest.substr(0, d2) + "\"";
  }
  return loc;
}

std::string format_estimates(const FitSpec& spec, const FitResult& r) {
  std::ostringstream os;
  const std::size_t np = r.parameters.size();
  os << "fit " << spec.name << ": " << np << " parameter(s), " << r.n_residuals
     << " observation(s) in " << spec.datasets.size() << " dataset(s)\n";
  os << "Ceres: " << r.termination << " after " << r.iterations << " iteration(s) (" << r.message
     << ")\n";
  os << r.simulations << " simulations in " << num(r.seconds, 3) << " s on " << r.threads
     << " thread(s)\n";
  os << "objective " << num(r.objective_start, 6) << " -> " << num(r.objective, 6)
     << "; reduced chi-square " << num(r.reduced_chi_square, 4) << " (N = " << r.n_residuals
     << ", P = " << np << ")\n\n";
  std::size_t w = 10;
  for (const ParameterEstimate& e : r.parameters) w = std::max(w, e.path.size() + 2);
  os << pad("parameter", w) << pad("initial", 14) << pad("estimate", 14) << pad("SE", 16)
     << "bounds\n";
  for (std::size_t i = 0; i < np; ++i) {
    const ParameterEstimate& e = r.parameters[i];
    const FitParameter& p = spec.parameters[i];
    os << pad(e.path, w) << pad(p.initial_text, 14) << pad(p.format(e.estimate), 14)
       << pad(e.identified ? p.format(e.standard_error, 2) : "not identified", 16) << bound_text(p)
       << (e.at_bound ? "  (at a bound)" : "") << "\n";
  }
  if (!r.not_identified.empty()) {
    os << "\nnot identified by the data: ";
    for (std::size_t i = 0; i < r.not_identified.size(); ++i)
      os << (i ? ", " : "") << r.not_identified[i];
    os << "\n";
  }
  if (np > 1) {
    os << "\ncorrelation\n";
    for (std::size_t i = 0; i < np; ++i) {
      os << pad(r.parameters[i].path, w);
      for (std::size_t j = 0; j <= i; ++j) {
        const double c = r.correlation[i * np + j];
        char buf[32];
        std::snprintf(buf, sizeof buf, "%8s", std::isnan(c) ? "-" : num(c, 3).c_str());
        os << buf;
      }
      os << "\n";
    }
  }
  return os.str();
}

std::string format_residuals(const FitSpec& spec, const std::vector<DatasetFit>& fits) {
  std::ostringstream os;
  for (std::size_t di = 0; di < spec.datasets.size(); ++di) {
    const Dataset& d = spec.datasets[di];
    const DatasetFit& f = fits[di];
    os << "dataset " << d.name << ": " << to_string(d.quantity) << " " << to_string(d.statistic)
       << " in " << d.value_unit << (d.log ? " (log scale)" : "") << ", " << d.csv_path << "\n";
    os << "  " << pad("time/group", 22) << pad("observed", 12) << pad("model", 12)
       << pad("sigma", 12) << "weighted residual\n";
    for (std::size_t j = 0; j < d.rows.size(); ++j) {
      const Observation& o = d.rows[j];
      std::string where = std::isnan(o.time_h) ? "" : num(o.time_h, 5) + " h";
      const std::string arm = d.base.arms[o.arm].name;
      if (d.arms.size() > 1 || !o.group.empty()) where += (where.empty() ? "" : " ") + arm;
      os << "  " << pad(where, 22) << pad(num(o.value), 12) << pad(num(f.model[j]), 12)
         << pad(num(o.sigma, 3), 12) << num(f.weighted[j], 3) << "\n";
    }
  }
  return os.str();
}

std::string format_model_snippet(const FitSpec& spec, const FitResult& r) {
  struct Group {
    std::string file, table;
    std::vector<std::string> lines;
  };
  std::vector<Group> groups;
  for (std::size_t i = 0; i < r.parameters.size(); ++i) {
    const ParameterEstimate& e = r.parameters[i];
    const FitParameter& p = spec.parameters[i];
    const ModelLocation loc = model_location(spec, p.path);
    const std::string se =
        e.identified ? "SE " + p.format(e.standard_error, 2) : "not identified by the data";
    const std::string value = p.unit.empty() ? num(e.estimate) : "\"" + p.format(e.estimate) + "\"";
    // A parameter the data do not determine keeps its model value: its estimate is arbitrary.
    const std::string line =
        e.identified
            ? loc.key + " = { value = " + value + ", source = \"fit: " + spec.path + " to " +
                  datasets_of(spec, i) + " (" + se + ")\" }"
            : "# " + loc.key + ": not identified by " + datasets_of(spec, i) +
                  " (the fit ended at " + p.format(e.estimate) + "); keep the model's value";
    auto it = std::find_if(groups.begin(), groups.end(), [&](const Group& g) {
      return g.file == loc.file && g.table == loc.table;
    });
    if (it == groups.end()) {
      groups.push_back({loc.file, loc.table, {}});
      it = groups.end() - 1;
    }
    it->lines.push_back(line);
  }
  std::ostringstream os;
  os << "# fitted by: morsim fit " << spec.path << "\n";
  std::string file;
  for (const Group& g : groups) {
    if (g.file != file) {
      if (!file.empty()) os << "\n";
      os << "# " << g.file << "\n";
      file = g.file;
    }
    if (!g.table.empty()) os << g.table << "\n";
    for (const std::string& l : g.lines) os << l << "\n";
  }
  return os.str();
}

namespace {
std::string verdict(const Dataset& d, const DatasetFit& f) {
  if (d.disagreement.empty()) return f.within_tolerance ? "ok" : "EXCEEDED";
  return f.within_tolerance
             ? "ok, but a disagreement is noted (" + d.disagreement + "): remove the note"
             : "exceeded, a documented disagreement (" + d.disagreement + ")";
}
}  // namespace

std::string format_check(const FitSpec& spec, const CheckResult& c) {
  std::ostringstream os;
  std::size_t w = 8;
  for (const Dataset& d : spec.datasets) w = std::max(w, d.name.size() + 2);
  for (std::size_t di = 0; di < spec.datasets.size(); ++di) {
    const Dataset& d = spec.datasets[di];
    const DatasetFit& f = c.datasets[di];
    const Observation& o = d.rows[f.worst_row];
    const std::string unit = d.log ? "(log units)" : d.value_unit == "1" ? "" : d.value_unit;
    os << pad(d.name, w) << "max |model - data| = " << num(f.max_deviation, 3)
       << (unit.empty() ? "" : " ") << unit << ", tolerance " << num(d.tolerance, 3) << ": "
       << verdict(d, f) << "  (worst: " << d.csv_path << ":" << o.line << ", observed "
       << num(o.value) << ", model " << num(f.model[f.worst_row]) << ")\n";
  }
  os << (c.passed ? "check passed" : "check FAILED") << ": " << spec.datasets.size()
     << " dataset(s) at the shipped model values\n";
  return os.str();
}

}  // namespace morsim::fit
