// A compound table ([pk], [brain], [binding]) -> Compound in internal units.
#include <cmath>

#include "config/schema.hpp"

namespace morsim::config {

const std::vector<std::string> kCompoundKeys{"name", "description", "molar_mass",
                                             "pk",   "brain",       "binding"};
const std::vector<std::string> kPkKeys{"central_volume", "elimination_rate", "clearance",
                                       "half_life",      "peripheral",       "metabolites"};
const std::vector<std::string> kBrainKeys{"ke0", "ke0_half_life", "partition"};
const std::vector<std::string> kBindingKeys{"kon", "ki", "koff", "hill", "tau"};

namespace {

constexpr double kLn2 = 0.69314718055994530942;

// Exactly one of `keys` must be present in `t`; returns its name.
std::string one_of(const Context& ctx, const toml::table& t, const std::string& path,
                   const std::vector<std::string>& keys) {
  std::string found;
  for (const std::string& k : keys) {
    if (!t.contains(k)) continue;
    if (!found.empty())
      fail(ctx, *t.get(k), path + "." + k,
           "give only one of " + join(keys, ", ") + " (found '" + found + "' too)");
    found = k;
  }
  if (found.empty()) fail(ctx, t, path, "missing (required: one of " + join(keys, ", ") + ")");
  return found;
}

void parse_pk(Context& ctx, const toml::table& pk, const std::string& name, Compound& c,
              std::vector<const toml::node*>* links) {
  const std::string path = name + ".pk";
  check_keys(ctx, pk, path, kPkKeys);
  c.central_volume_L = read_quantity(
      ctx, require(ctx, pk, "central_volume", path + ".central_volume", "a volume, e.g. \"9 L\""),
      path + ".central_volume", name + ".central_volume", dim::volume(), Range::kPositive);
  const std::string elim = one_of(ctx, pk, path, {"elimination_rate", "clearance", "half_life"});
  const toml::node& e = *pk.get(elim);
  const std::string key = path + "." + elim, param = name + "." + elim;
  if (elim == "elimination_rate")
    c.k_elim_per_h = read_quantity(ctx, e, key, param, dim::rate(), Range::kPositive);
  else if (elim == "clearance")
    c.k_elim_per_h =
        read_quantity(ctx, e, key, param, dim::clearance(), Range::kPositive) / c.central_volume_L;
  else
    c.k_elim_per_h = kLn2 / read_quantity(ctx, e, key, param, dim::time(), Range::kPositive);

  if (const toml::array* per = array_at(ctx, pk, "peripheral", path + ".peripheral")) {
    for (std::size_t i = 0; i < per->size(); ++i) {
      const std::string ip = "peripheral[" + std::to_string(i) + "]";
      const std::string k = path + "." + ip;
      const toml::table& t = as_table(ctx, *per->get(i), k);
      check_keys(ctx, t, k, {"k12", "k21", "volume", "clearance"});
      PeripheralCompartment q;
      if (t.contains("k12") || t.contains("k21")) {
        q.k_out_per_h = read_quantity(ctx, require(ctx, t, "k12", k + ".k12", "a rate"), k + ".k12",
                                      name + "." + ip + ".k12", dim::rate(), Range::kPositive);
        q.k_in_per_h = read_quantity(ctx, require(ctx, t, "k21", k + ".k21", "a rate"), k + ".k21",
                                     name + "." + ip + ".k21", dim::rate(), Range::kPositive);
        if (t.contains("volume") || t.contains("clearance"))
          fail(ctx, t, k, "give either k12 and k21, or volume and clearance (Q), not both");
      } else {
        const double v = read_quantity(
            ctx, require(ctx, t, "volume", k + ".volume", "k12 and k21, or volume and clearance"),
            k + ".volume", name + "." + ip + ".volume", dim::volume(), Range::kPositive);
        const double qc = read_quantity(
            ctx,
            require(ctx, t, "clearance", k + ".clearance", "the intercompartmental clearance Q"),
            k + ".clearance", name + "." + ip + ".clearance", dim::clearance(), Range::kPositive);
        q.k_out_per_h = qc / c.central_volume_L;  // k12 = Q / V1
        q.k_in_per_h = qc / v;                    // k21 = Q / V2
      }
      c.peripherals.push_back(q);
    }
  }

  if (const toml::array* mets = array_at(ctx, pk, "metabolites", path + ".metabolites")) {
    double sum = 0.0;
    for (std::size_t i = 0; i < mets->size(); ++i) {
      const std::string ip = "metabolites[" + std::to_string(i) + "]";
      const std::string k = path + "." + ip;
      const toml::table& t = as_table(ctx, *mets->get(i), k);
      check_keys(ctx, t, k, {"compound", "fraction"});
      const toml::node& cn = require(ctx, t, "compound", k + ".compound", "a compound name");
      MetaboliteLink m;
      m.metabolite = read_string(ctx, cn, k + ".compound");
      if (m.metabolite == name)
        fail(ctx, cn, k + ".compound", "a compound cannot be its own metabolite");
      m.fraction =
          read_quantity(ctx, require(ctx, t, "fraction", k + ".fraction", "a fraction in [0, 1]"),
                        k + ".fraction", name + "." + ip + ".fraction", dim::dimensionless(),
                        Range::kUnitInterval);
      sum += m.fraction;
      if (sum > 1.0 + 1e-12)
        fail(ctx, value_node(*t.get("fraction")), k + ".fraction",
             "metabolite fractions sum to " + format_number(sum) + " (allowed: a sum <= 1)");
      c.metabolites.push_back(m);
      if (links) links->push_back(&cn);
    }
  }
}

void parse_brain(Context& ctx, const toml::table& b, const std::string& name, Compound& c) {
  const std::string path = name + ".brain";
  check_keys(ctx, b, path, kBrainKeys);
  const std::string k = one_of(ctx, b, path, {"ke0", "ke0_half_life"});
  if (k == "ke0")
    c.ke0_per_h =
        read_quantity(ctx, *b.get(k), path + ".ke0", name + ".ke0", dim::rate(), Range::kPositive);
  else
    c.ke0_per_h = kLn2 / read_quantity(ctx, *b.get(k), path + "." + k, name + "." + k, dim::time(),
                                       Range::kPositive);
  if (const toml::node* p = b.get("partition"))
    c.brain_partition = read_quantity(ctx, *p, path + ".partition", name + ".partition",
                                      dim::dimensionless(), Range::kPositive);
}

void parse_binding(Context& ctx, const toml::table& b, const std::string& name, Compound& c) {
  const std::string path = name + ".binding";
  check_keys(ctx, b, path, kBindingKeys);
  Binding& bd = c.binding;
  if (const toml::node* h = b.get("hill"))
    bd.hill_n = read_quantity(ctx, *h, path + ".hill", name + ".hill", dim::dimensionless(),
                              Range::kPositive);
  bd.koff_per_h =
      read_quantity(ctx, require(ctx, b, "koff", path + ".koff", "a rate, e.g. \"1.2 /h\""),
                    path + ".koff", name + ".koff", dim::rate(), Range::kPositive);
  const std::string k = one_of(ctx, b, path, {"kon", "ki"});
  if (k == "kon") {
    bd.kon_per_nM_n_per_h = read_quantity(ctx, *b.get(k), path + ".kon", name + ".kon",
                                          dim::kon(bd.hill_n), Range::kPositive);
  } else {
    const double ki = read_quantity(ctx, *b.get(k), path + ".ki", name + ".ki",
                                    dim::concentration(), Range::kPositive);
    bd.kon_per_nM_n_per_h = bd.koff_per_h / std::pow(ki, bd.hill_n);  // Ki^n = koff / kon
  }
  if (const toml::node* t = b.get("tau"))
    bd.tau = read_quantity(ctx, *t, path + ".tau", name + ".tau", dim::dimensionless(),
                           Range::kNonNegative);
}

}  // namespace

std::string table_name(const Context& ctx, const toml::table& t, const std::string& what) {
  const toml::node& n = require(ctx, t, "name", what + ".name", "the " + what + "'s name");
  std::string name = read_string(ctx, n, what + ".name");
  if (name.empty() || name.find_first_of(". \t=\"") != std::string::npos)
    fail(ctx, n, what + ".name",
         "got '" + name + "' (allowed: a non-empty name without dots, spaces, '=' or quotes)");
  return name;
}

Compound parse_compound(Context& ctx, const toml::table& t, std::vector<const toml::node*>* links) {
  Compound c;
  c.name = table_name(ctx, t, "compound");
  check_keys(ctx, t, c.name, kCompoundKeys);
  if (const toml::node* d = t.get("description")) read_string(ctx, *d, c.name + ".description");
  c.molar_mass_g_per_mol = read_quantity(
      ctx, require(ctx, t, "molar_mass", c.name + ".molar_mass", "e.g. \"341.41 g/mol\""),
      c.name + ".molar_mass", c.name + ".molar_mass", dim::molar_mass(), Range::kPositive);
  const toml::table* pk = table_at(ctx, t, "pk", c.name + ".pk");
  if (!pk)
    fail(ctx, t, c.name + ".pk",
         "missing (required: a [pk] table with central_volume and elimination)");
  parse_pk(ctx, *pk, c.name, c, links);
  if (const toml::table* b = table_at(ctx, t, "brain", c.name + ".brain"))
    parse_brain(ctx, *b, c.name, c);
  if (const toml::table* b = table_at(ctx, t, "binding", c.name + ".binding")) {
    c.binds_receptor = true;
    parse_binding(ctx, *b, c.name, c);
    if (!(c.ke0_per_h > 0.0))
      fail(ctx, *b, c.name + ".brain.ke0",
           "missing (required: a compound with [binding] needs [brain] ke0 or ke0_half_life)");
  }
  return c;
}

}  // namespace morsim::config
