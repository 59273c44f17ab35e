// Path parsing against the scenario's compound, formulation and phase names.
#include "params/model_parameter.hpp"

#include <cmath>

namespace morsim {

namespace {

[[noreturn]] void unknown(const std::string& path, const std::string& why,
                          const ModelParameterRules& rules) {
  throw UnknownModelParameter(
      "unknown parameter '" + path + "': " + why + " (allowed: " + allowed_model_paths(rules) + ")",
      why);
}

// Round 1's sweep and population spellings, refused with the one vocabulary's name.
const char* renamed(const std::string& key) {
  if (key == "k_elim") return "elimination_rate";
  if (key == "brain_partition") return "partition";
  return nullptr;
}

}  // namespace

std::vector<std::string> split_parameter_path(const std::string& s) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= s.size(); ++i)
    if (i == s.size() || s[i] == '.') {
      out.push_back(s.substr(start, i - start));
      start = i + 1;
    }
  return out;
}

std::string allowed_model_paths(const ModelParameterRules& rules) {
  return std::string(
             "<compound>.{central_volume, clearance, elimination_rate, half_life, ke0, "
             "ke0_half_life, partition, kon, koff, ki, tau") +
         (rules.molar_mass ? ", molar_mass" : "") +
         "}, <formulation>.bioavailability, <formulation>.<phase>.{fraction, lag, duration, "
         "transit[i]}";
}

ModelParameter::ModelParameter(const ScenarioSpec& spec, const std::string& path,
                               const ModelParameterRules& rules)
    : path_(path), dim_(dim::dimensionless()) {
  const std::vector<std::string> p = split_parameter_path(path);
  for (std::size_t c = 0; c < spec.compounds.size(); ++c) {
    if (spec.compounds[c].name != p[0]) continue;
    if (p.size() != 2) unknown(path, "compound paths are <compound>.<parameter>", rules);
    a_ = c;
    const std::string& k = p[1];
    if (k == "central_volume")
      kind_ = Kind::kCentralVolume, dim_ = dim::volume();
    else if (k == "clearance")
      kind_ = Kind::kClearance, dim_ = dim::clearance();
    else if (k == "elimination_rate")
      kind_ = Kind::kElimination, dim_ = dim::rate();
    else if (k == "half_life")
      kind_ = Kind::kHalfLife, dim_ = dim::time();
    else if (k == "ke0")
      kind_ = Kind::kKe0, dim_ = dim::rate();
    else if (k == "ke0_half_life")
      kind_ = Kind::kKe0HalfLife, dim_ = dim::time();
    else if (k == "partition")
      kind_ = Kind::kBrainPartition;
    else if (const char* now = renamed(k))  // the names of round 1's sweeps and populations
      unknown(path, "'" + k + "' is now called '" + now + "', as in the model files", rules);
    else if (k == "kon")
      kind_ = Kind::kKon, dim_ = dim::kon(spec.compounds[c].binding.hill_n);
    else if (k == "koff")
      kind_ = Kind::kKoff, dim_ = dim::rate();
    else if (k == "ki")
      kind_ = Kind::kKi, dim_ = dim::concentration();
    else if (k == "tau")
      kind_ = Kind::kTau;
    else if (k == "molar_mass" && rules.molar_mass)
      kind_ = Kind::kMolarMass, dim_ = dim::molar_mass();
    else
      unknown(path, "compound '" + p[0] + "' has no parameter '" + k + "'", rules);
    const bool binding =
        kind_ == Kind::kKon || kind_ == Kind::kKoff || kind_ == Kind::kKi || kind_ == Kind::kTau;
    if (binding && rules.binding_needs_receptor && !spec.compounds[c].binds_receptor)
      unknown(path, "'" + p[0] + "' does not bind the receptor", rules);
    return;
  }
  for (std::size_t f = 0; f < spec.formulations.size(); ++f) {
    const Formulation& form = spec.formulations[f];
    if (form.name != p[0]) continue;
    a_ = f;
    if (p.size() == 2 && p[1] == "bioavailability") {
      kind_ = Kind::kBioavailability;
      return;
    }
    if (p.size() != 3)
      unknown(path, "formulation paths are <formulation>.<phase>.<parameter>", rules);
    std::size_t ph = form.phases.size();
    for (std::size_t i = 0; i < form.phases.size(); ++i)
      if (form.phases[i].name == p[1]) ph = i;
    if (ph == form.phases.size())
      unknown(path, "formulation '" + p[0] + "' has no phase '" + p[1] + "'", rules);
    b_ = ph;
    if (p[2] == "fraction") {
      kind_ = Kind::kPhaseFraction;
    } else if (p[2] == "lag") {
      kind_ = Kind::kPhaseLag, dim_ = dim::time();
    } else if (p[2] == "duration") {
      kind_ = Kind::kPhaseDuration, dim_ = dim::time();
    } else if (p[2].rfind("transit[", 0) == 0 && p[2].back() == ']') {
      const std::string index = p[2].substr(8, p[2].size() - 9);
      const std::size_t n = form.phases[ph].transit_rates_per_h.size();
      if (index.empty() || index.find_first_not_of("0123456789") != std::string::npos ||
          std::stoul(index) >= n)
        unknown(path,
                "phase '" + p[1] + "' has " + std::to_string(n) + " transit rate(s)" +
                    (n ? " (transit[0] to transit[" + std::to_string(n - 1) + "])" : ""),
                rules);
      kind_ = Kind::kPhaseTransit, dim_ = dim::rate();
      transit_ = std::stoul(index);
    } else if (p[2] == "rate" || p[2] == "transit") {
      unknown(path, "name one transit rate: '" + p[1] + ".transit[0]', as in the model files",
              rules);
    } else {
      unknown(path, "a phase has fraction, lag, duration, transit[i]", rules);
    }
    return;
  }
  unknown(path, "no compound or formulation '" + p[0] + "' in the scenario", rules);
}

double ModelParameter::get(const ScenarioSpec& spec) const {
  switch (kind_) {
    case Kind::kCentralVolume:
      return spec.compounds[a_].central_volume_L;
    case Kind::kClearance:
      return spec.compounds[a_].k_elim_per_h * spec.compounds[a_].central_volume_L;
    case Kind::kElimination:
      return spec.compounds[a_].k_elim_per_h;
    case Kind::kHalfLife:
      return std::log(2.0) / spec.compounds[a_].k_elim_per_h;
    case Kind::kKe0:
      return spec.compounds[a_].ke0_per_h;
    case Kind::kKe0HalfLife:
      return std::log(2.0) / spec.compounds[a_].ke0_per_h;
    case Kind::kBrainPartition:
      return spec.compounds[a_].brain_partition;
    case Kind::kKon:
      return spec.compounds[a_].binding.kon_per_nM_n_per_h;
    case Kind::kKoff:
      return spec.compounds[a_].binding.koff_per_h;
    case Kind::kKi:
      return spec.compounds[a_].binding.kd_nM();
    case Kind::kTau:
      return spec.compounds[a_].binding.tau;
    case Kind::kMolarMass:
      return spec.compounds[a_].molar_mass_g_per_mol;
    case Kind::kBioavailability:
      return spec.formulations[a_].bioavailability;
    case Kind::kPhaseFraction:
      return spec.formulations[a_].phases[b_].fraction;
    case Kind::kPhaseLag:
      return spec.formulations[a_].phases[b_].lag_h;
    case Kind::kPhaseDuration:
      return spec.formulations[a_].phases[b_].duration_h;
    case Kind::kPhaseTransit:
      return spec.formulations[a_].phases[b_].transit_rates_per_h[transit_];
  }
  return 0.0;
}

void ModelParameter::set(ScenarioSpec& spec, double value) const {
  Compound* c = kind_ <= Kind::kMolarMass ? &spec.compounds[a_] : nullptr;
  switch (kind_) {
    case Kind::kCentralVolume:
      c->central_volume_L = value;
      break;
    case Kind::kClearance:
      c->k_elim_per_h = value / c->central_volume_L;
      break;
    case Kind::kElimination:
      c->k_elim_per_h = value;
      break;
    case Kind::kHalfLife:
      c->k_elim_per_h = std::log(2.0) / value;
      break;
    case Kind::kKe0:
      c->ke0_per_h = value;
      break;
    case Kind::kKe0HalfLife:
      c->ke0_per_h = std::log(2.0) / value;
      break;
    case Kind::kBrainPartition:
      c->brain_partition = value;
      break;
    case Kind::kKon:
      c->binding.kon_per_nM_n_per_h = value;
      break;
    case Kind::kKoff:
      c->binding.koff_per_h = value;
      break;
    case Kind::kKi:  // keep koff: the affinity changes through the association rate
      c->binding.kon_per_nM_n_per_h = c->binding.koff_per_h / std::pow(value, c->binding.hill_n);
      break;
    case Kind::kTau:
      c->binding.tau = value;
      break;
    case Kind::kMolarMass:
      c->molar_mass_g_per_mol = value;
      break;
    case Kind::kBioavailability:
      spec.formulations[a_].bioavailability = value;
      break;
    case Kind::kPhaseFraction:
      spec.formulations[a_].phases[b_].fraction = value;
      break;
    case Kind::kPhaseLag:
      spec.formulations[a_].phases[b_].lag_h = value;
      break;
    case Kind::kPhaseDuration:
      spec.formulations[a_].phases[b_].duration_h = value;
      break;
    case Kind::kPhaseTransit:  // one rate of the chain, as --set ...transit[i] sets it
      spec.formulations[a_].phases[b_].transit_rates_per_h[transit_] = value;
      break;
  }
}

int ModelParameter::apply_order() const {
  if (kind_ == Kind::kCentralVolume) return 0;
  if (kind_ == Kind::kClearance) return 1;
  return 2;
}

bool ModelParameter::must_be_positive() const {
  return kind_ != Kind::kPhaseLag && kind_ != Kind::kPhaseFraction &&
         kind_ != Kind::kPhaseDuration && kind_ != Kind::kTau;
}

}  // namespace morsim
