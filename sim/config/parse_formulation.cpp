// Formulation tables (route, F, first pass, release phases) and receptor tables.
#include <algorithm>
#include <cmath>
#include <iostream>

#include "config/schema.hpp"

namespace morsim::config {

const std::vector<std::string> kFormulationKeys{
    "name",       "description", "compound", "route", "bioavailability", "dosed_molar_mass",
    "first_pass", "phase"};
const std::vector<std::string> kPhaseKeys{"name", "fraction", "lag", "duration", "transit"};

namespace {

// `fraction = "rest"` (or { value = "rest", source = ... }): the phase takes what the other
// phases leave, so a fit or an override can move one phase's share without breaking the sum.
bool is_rest_fraction(const toml::node& n) {
  const toml::node* v = &n;
  if (const toml::table* t = n.as_table(); t && t->contains("value")) v = t->get("value");
  return v->is_string() && v->as_string()->get() == "rest";
}

AbsorptionPhase parse_phase(Context& ctx, const toml::table& t, const std::string& fname,
                            const std::string& key, std::size_t index) {
  AbsorptionPhase ph;
  check_keys(ctx, t, key, kPhaseKeys);
  ph.name = t.contains("name") ? read_string(ctx, *t.get("name"), key + ".name")
                               : "phase" + std::to_string(index);
  const std::string p = fname + "." + ph.name;  // override path: <formulation>.<phase>.<key>
  if (const toml::node* n = t.get("fraction"); n && is_rest_fraction(*n))
    ph.fraction = std::nan("");  // filled in by parse_formulation
  else if (n)
    ph.fraction = read_quantity(ctx, *n, key + ".fraction", p + ".fraction", dim::dimensionless(),
                                Range::kUnitInterval);
  if (const toml::node* n = t.get("lag"))
    ph.lag_h = read_quantity(ctx, *n, key + ".lag", p + ".lag", dim::time(), Range::kNonNegative);
  if (const toml::node* n = t.get("duration"))
    ph.duration_h = read_quantity(ctx, *n, key + ".duration", p + ".duration", dim::time(),
                                  Range::kNonNegative);
  if (const toml::array* tr = array_at(ctx, t, "transit", key + ".transit")) {
    for (std::size_t i = 0; i < tr->size(); ++i) {
      const std::string ik = "transit[" + std::to_string(i) + "]";
      ph.transit_rates_per_h.push_back(read_quantity(ctx, *tr->get(i), key + "." + ik, p + "." + ik,
                                                     dim::rate(), Range::kPositive));
    }
  }
  return ph;
}

}  // namespace

Formulation parse_formulation(Context& ctx, const toml::table& t) {
  Formulation f;
  f.name = table_name(ctx, t, "formulation");
  const std::string& n = f.name;
  check_keys(ctx, t, n, kFormulationKeys);
  if (const toml::node* d = t.get("description")) read_string(ctx, *d, n + ".description");
  f.compound = read_string(ctx, require(ctx, t, "compound", n + ".compound", "the compound dosed"),
                           n + ".compound");
  f.route = read_string(ctx, require(ctx, t, "route", n + ".route", "e.g. \"iv\", \"oral\""),
                        n + ".route");
  // F multiplies the dose, as in NONMEM and mrgsolve: any F >= 0; above 1 is legal (a
  // relative bioavailability, a dose correction) but worth a warning.
  const toml::node* bio = t.get("bioavailability");
  if (bio) {
    f.bioavailability = read_quantity(ctx, *bio, n + ".bioavailability", n + ".bioavailability",
                                      dim::dimensionless(), Range::kNonNegative);
    if (f.bioavailability > 1.0) {
      const Where w = where(ctx, value_node(*bio));
      std::cerr << w.file << ":" << w.line << ": " << n
                << ".bioavailability: warning: F = " << format_number(f.bioavailability)
                << " is above 1: more than the dose reaches the circulation\n";
    }
  }
  if (const toml::node* m = t.get("dosed_molar_mass"))
    f.dosed_molar_mass_g_per_mol =
        read_quantity(ctx, *m, n + ".dosed_molar_mass", n + ".dosed_molar_mass", dim::molar_mass(),
                      Range::kPositive);
  if (const toml::array* fp = array_at(ctx, t, "first_pass", n + ".first_pass")) {
    for (std::size_t i = 0; i < fp->size(); ++i) {
      const std::string ik = "first_pass[" + std::to_string(i) + "]";
      const std::string k = n + "." + ik;
      const toml::table& lt = as_table(ctx, *fp->get(i), k);
      check_keys(ctx, lt, k, {"metabolite", "fraction"});
      FirstPassLink l;
      l.metabolite =
          read_string(ctx, require(ctx, lt, "metabolite", k + ".metabolite", "a compound name"),
                      k + ".metabolite");
      l.fraction = read_quantity(ctx, require(ctx, lt, "fraction", k + ".fraction", "a fraction"),
                                 k + ".fraction", k, dim::dimensionless(), Range::kUnitInterval);
      f.first_pass.push_back(l);
    }
    if (f.bioavailability > 1.0 && !f.first_pass.empty())
      fail(ctx, value_node(*bio), n + ".bioavailability",
           "got " + format_number(f.bioavailability) +
               " with first_pass, which takes (1 - F) of the dose (allowed: F in [0, 1] with "
               "first_pass)");
  }
  const toml::array* phases = array_at(ctx, t, "phase", n + ".phase");
  if (!phases || phases->empty())
    fail(ctx, t, n + ".phase", "missing (required: at least one [[phase]])");
  double sum = 0.0;
  std::size_t rest = phases->size();  // index of the phase with fraction = "rest", if any
  for (std::size_t i = 0; i < phases->size(); ++i) {
    const std::string k = n + ".phase[" + std::to_string(i) + "]";
    f.phases.push_back(parse_phase(ctx, as_table(ctx, *phases->get(i), k), n, k, i));
    if (std::isnan(f.phases.back().fraction)) {
      if (rest != phases->size())
        fail(ctx, *phases->get(i), k + ".fraction",
             "a second phase with fraction \"rest\" (allowed: one)");
      rest = i;
    } else {
      sum += f.phases.back().fraction;
    }
    for (std::size_t j = 0; j + 1 < f.phases.size(); ++j)
      if (f.phases[j].name == f.phases.back().name)
        fail(ctx, *phases->get(i), k + ".name", "phase name '" + f.phases[j].name + "' used twice");
  }
  constexpr double kSumTol = 1e-9;  // decimal fractions such as 0.05 + 0.95
  if (rest != phases->size()) {
    if (sum > 1.0 + kSumTol)
      fail(ctx, *phases->get(rest), n + ".phase[" + std::to_string(rest) + "].fraction",
           "the other phases' fractions sum to " + format_number(sum) +
               ", leaving nothing for \"rest\" (allowed: other fractions summing to at most 1)");
    f.phases[rest].fraction = std::max(0.0, 1.0 - sum);
    return f;
  }
  if (std::fabs(sum - 1.0) > kSumTol)
    fail(ctx, *phases, n + ".phase",
         "phase fractions sum to " + format_number(sum) + " (allowed: a sum of 1)");
  return f;
}

void parse_receptor(Context& ctx, const toml::table& t, const std::string& path, Receptor& r,
                    bool scenario_table) {
  std::vector<std::string> keys{"name", "mode", "transducer_slope", "operational_effect"};
  if (scenario_table) keys = {"model", "mode", "transducer_slope", "operational_effect"};
  check_keys(ctx, t, path, keys);
  if (const toml::node* n = t.get("name")) r.name = read_string(ctx, *n, path + ".name");
  if (const toml::node* m = t.get("mode")) {
    const std::string mode = read_string(ctx, *m, path + ".mode");
    if (mode == "kinetic")
      r.mode = BindingMode::kKinetic;
    else if (mode == "equilibrium")
      r.mode = BindingMode::kEquilibrium;
    else
      fail(ctx, *m, path + ".mode",
           "got '" + mode + "'" + did_you_mean(mode, {"kinetic", "equilibrium"}) +
               " (allowed: kinetic, equilibrium)");
  }
  if (const toml::node* s = t.get("transducer_slope"))
    r.transducer_slope =
        read_quantity(ctx, *s, path + ".transducer_slope", "receptor.transducer_slope",
                      dim::dimensionless(), Range::kPositive);
  if (const toml::node* e = t.get("operational_effect"))
    r.operational_effect =
        read_flag(ctx, *e, path + ".operational_effect", "receptor.operational_effect");
}

}  // namespace morsim::config
