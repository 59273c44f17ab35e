// The one parameter vocabulary of a scenario, read off the checked ScenarioSpec. The list of
// `morsim show --params` and the setters of sweeps and populations come from the same table
// (Lister), so a path is listed exactly when a sweep or population can set it. Values are
// listed in the internal unit with the shortest text that reads back to the same double, so
// setting a listed value changes nothing (up to rounding where the path is an alternative
// spelling).
#include "config/settable_params.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "config/toml_reader.hpp"
#include "model/errors.hpp"

namespace morsim {
namespace {

constexpr double kLn2Settable = 0.69314718055994530942;

using Kind = SettablePath::Kind;

bool source_written(const ScenarioSpec& spec, const std::string& path) {
  return std::any_of(spec.sources.begin(), spec.sources.end(),
                     [&](const ParameterSource& s) { return s.path == path; });
}

class Lister {
 public:
  explicit Lister(const ScenarioSpec& spec) : spec_(spec) {}

  std::vector<SettablePath> run() {
    for (std::size_t i = 0; i < spec_.compounds.size(); ++i) compound(i);
    for (std::size_t i = 0; i < spec_.formulations.size(); ++i) formulation(i);
    add("receptor.transducer_slope", Kind::kTransducerSlope, dim::dimensionless(), 0);
    for (std::size_t i = 0; i < spec_.arms.size(); ++i) arm(i);
    return std::move(out_);
  }

 private:
  void add(const std::string& path, Kind k, const ExpectedDimension& d, std::size_t a,
           std::size_t b = 0, std::size_t c = 0) {
    out_.emplace_back(spec_, path, k, d, a, b, c);
  }

  void compound(std::size_t ci) {
    const Compound& c = spec_.compounds[ci];
    const std::string n = c.name + ".";
    add(n + "molar_mass", Kind::kMolarMass, dim::molar_mass(), ci);
    add(n + "central_volume", Kind::kCentralVolume, dim::volume(), ci);
    add(n + "elimination_rate", Kind::kElimination, dim::rate(), ci);
    add(n + "clearance", Kind::kClearance, dim::clearance(), ci);
    add(n + "half_life", Kind::kHalfLife, dim::time(), ci);
    for (std::size_t i = 0; i < c.peripherals.size(); ++i) {
      const std::string ip = n + "peripheral[" + std::to_string(i) + "].";
      if (source_written(spec_, ip + "k12")) {
        add(ip + "k12", Kind::kPeripheralK12, dim::rate(), ci, i);
        add(ip + "k21", Kind::kPeripheralK21, dim::rate(), ci, i);
      } else {  // volume and clearance (Q): k12 = Q / V1, k21 = Q / V2
        add(ip + "volume", Kind::kPeripheralVolume, dim::volume(), ci, i);
        add(ip + "clearance", Kind::kPeripheralClearance, dim::clearance(), ci, i);
      }
    }
    for (std::size_t i = 0; i < c.metabolites.size(); ++i)
      add(n + "metabolites[" + std::to_string(i) + "].fraction", Kind::kMetaboliteFraction,
          dim::dimensionless(), ci, i);
    if (c.ke0_per_h > 0.0) {
      add(n + "ke0", Kind::kKe0, dim::rate(), ci);
      add(n + "ke0_half_life", Kind::kKe0HalfLife, dim::time(), ci);
      add(n + "partition", Kind::kPartition, dim::dimensionless(), ci);
    }
    if (c.binds_receptor) {
      add(n + "kon", Kind::kKon, dim::kon(c.binding.hill_n), ci);
      add(n + "ki", Kind::kKi, dim::concentration(), ci);
      add(n + "koff", Kind::kKoff, dim::rate(), ci);
      add(n + "hill", Kind::kHill, dim::dimensionless(), ci);
      add(n + "tau", Kind::kTau, dim::dimensionless(), ci);
    }
  }

  void formulation(std::size_t fi) {
    const Formulation& f = spec_.formulations[fi];
    const std::string n = f.name + ".";
    add(n + "bioavailability", Kind::kBioavailability, dim::dimensionless(), fi);
    if (f.dosed_molar_mass_g_per_mol > 0.0)
      add(n + "dosed_molar_mass", Kind::kDosedMolarMass, dim::molar_mass(), fi);
    for (std::size_t i = 0; i < f.first_pass.size(); ++i)
      add(n + "first_pass[" + std::to_string(i) + "].fraction", Kind::kFirstPassFraction,
          dim::dimensionless(), fi, i);
    for (std::size_t pi = 0; pi < f.phases.size(); ++pi) {
      const AbsorptionPhase& ph = f.phases[pi];
      const std::string p = n + ph.name + ".";
      add(p + "fraction", Kind::kPhaseFraction, dim::dimensionless(), fi, pi);
      add(p + "lag", Kind::kPhaseLag, dim::time(), fi, pi);
      add(p + "duration", Kind::kPhaseDuration, dim::time(), fi, pi);
      for (std::size_t j = 0; j < ph.transit_rates_per_h.size(); ++j)
        add(p + "transit[" + std::to_string(j) + "]", Kind::kPhaseTransit, dim::rate(), fi, pi, j);
    }
  }

  void arm(std::size_t ai) {
    const Arm& a = spec_.arms[ai];
    for (std::size_t i = 0; i < a.doses.size(); ++i) {
      const DoseRecord& d = a.doses[i];
      const std::string p = "doses." + a.name + "." + std::to_string(i) + ".";
      // A constant infusion (rate without amount) and a reset alone have no amount to set.
      if (d.amount_mg > 0.0) add(p + "amount", Kind::kDoseAmount, dim::mass(), ai, i);
      add(p + "time", Kind::kDoseTime, dim::time(), ai, i);
      if (d.formulation.empty() || d.rate_mg_per_h > 0.0) continue;
      // missed_last names a suffix of the record's doses; other patterns have no such value.
      std::vector<int> missed = d.missed;
      std::sort(missed.begin(), missed.end());
      missed.erase(std::unique(missed.begin(), missed.end()), missed.end());
      bool suffix = true;
      for (std::size_t k = 0; k < missed.size(); ++k)
        suffix = suffix && missed[k] == d.addl + 1 - static_cast<int>(missed.size() - k);
      if (suffix) add(p + "missed_last", Kind::kDoseMissedLast, dim::dimensionless(), ai, i);
    }
  }

  const ScenarioSpec& spec_;
  std::vector<SettablePath> out_;
};

// Round 1's sweep and population spellings, refused with the one vocabulary's name.
const char* renamed_settable_key(const std::string& key) {
  if (key == "k_elim") return "elimination_rate";
  if (key == "brain_partition") return "partition";
  if (key == "ke0_halflife" || key == "ke0_half") return "ke0_half_life";
  if (key == "halflife" || key == "t_half") return "half_life";
  if (key == "kd" || key == "Kd") return "ki";
  return nullptr;
}

const char* const kSettablePatterns =
    "<compound>.{molar_mass, central_volume, elimination_rate, clearance, half_life, "
    "peripheral[i].{volume, clearance or k12, k21}, metabolites[i].fraction, ke0, "
    "ke0_half_life, partition, kon, ki, koff, hill, tau}, <formulation>.{bioavailability, "
    "dosed_molar_mass, first_pass[i].fraction}, <formulation>.<phase>.{fraction, lag, "
    "duration, transit[i]}, receptor.transducer_slope, "
    "doses.<arm>.<index>.{amount, time, missed_last}; `morsim show --params` lists them";

// Why `path` names nothing in `listed`: the most specific reason that can be told.
std::string why_unknown(const ScenarioSpec& spec, const std::string& path,
                        const std::vector<SettablePath>& listed) {
  const std::size_t dot = path.find('.');
  const std::string owner = path.substr(0, dot);
  const std::string rest = dot == std::string::npos ? "" : path.substr(dot + 1);
  const std::string last = path.substr(path.rfind('.') + 1);
  if (const char* now = renamed_settable_key(last))
    return "'" + last + "' is now called '" + now + "', as in the model files";
  const auto prefixed = [&](const std::string& prefix) {
    std::vector<std::string> keys;
    for (const SettablePath& p : listed)
      if (p.path().rfind(prefix, 0) == 0) keys.push_back(p.path().substr(prefix.size()));
    return keys;
  };
  if (const Compound* c = spec.find_compound(owner)) {
    static const std::vector<std::string> kBinding{"kon", "ki", "koff", "hill", "tau"};
    static const std::vector<std::string> kBrain{"ke0", "ke0_half_life", "partition"};
    if (!c->binds_receptor && std::find(kBinding.begin(), kBinding.end(), rest) != kBinding.end())
      return "'" + owner + "' does not bind the receptor (it has no [binding])";
    if (!(c->ke0_per_h > 0.0) && std::find(kBrain.begin(), kBrain.end(), rest) != kBrain.end())
      return "'" + owner + "' has no [brain] compartment";
    if (rest.rfind("peripheral[", 0) == 0 && rest.find("].") != std::string::npos) {
      const std::string key = rest.substr(rest.find("].") + 2);
      if (key == "k12" || key == "k21")
        return "the file writes " + rest.substr(0, rest.find("]") + 1) +
               " with volume and clearance; set those";
      if (key == "volume" || key == "clearance")
        return "the file writes " + rest.substr(0, rest.find("]") + 1) +
               " with k12 and k21; set those";
    }
    const std::vector<std::string> keys = prefixed(owner + ".");
    return "compound '" + owner + "' has no parameter '" + rest + "'" +
           config::did_you_mean(rest, keys);
  }
  if (const Formulation* f = spec.find_formulation(owner)) {
    const std::size_t d2 = rest.find('.');
    if (d2 != std::string::npos) {
      const std::string phase = rest.substr(0, d2), key = rest.substr(d2 + 1);
      for (const AbsorptionPhase& ph : f->phases) {
        if (ph.name != phase) continue;
        const std::size_t n = ph.transit_rates_per_h.size();
        if (key == "rate" || key == "transit")
          return "name one transit rate: '" + phase + ".transit[0]', as in the model files";
        if (key.rfind("transit[", 0) == 0)
          return "phase '" + phase + "' has " + std::to_string(n) + " transit rate(s)" +
                 (n ? " (transit[0] to transit[" + std::to_string(n - 1) + "])" : "");
        return "phase '" + phase + "' has no parameter '" + key + "'" +
               config::did_you_mean(key, {"fraction", "lag", "duration", "transit[0]"}) +
               " (a phase has fraction, lag, duration, transit[i])";
      }
    }
    const std::vector<std::string> keys = prefixed(owner + ".");
    return "formulation '" + owner + "' has no parameter '" + rest + "'" +
           config::did_you_mean(rest, keys);
  }
  std::vector<std::string> all;
  for (const SettablePath& p : listed) all.push_back(p.path());
  return "no compound, formulation, receptor or dose '" + owner + "' in the scenario" +
         config::did_you_mean(path, all);
}

}  // namespace

SettablePath::SettablePath(const ScenarioSpec& spec, std::string path, Kind kind,
                           const ExpectedDimension& d, std::size_t a, std::size_t b, std::size_t c)
    : path_(std::move(path)), kind_(kind), dim_(d), a_(a), b_(b), c_(c) {
  if (kind_ == Kind::kCentralVolume) {
    const Compound& co = spec.compounds[a_];
    clearance_written_ = source_written(spec, co.name + ".clearance");
    for (std::size_t i = 0; i < co.peripherals.size() && i < 64; ++i)
      if (!source_written(spec, co.name + ".peripheral[" + std::to_string(i) + "].k12"))
        q_spelled_ |= std::uint64_t{1} << i;
  }
  if (kind_ == Kind::kKoff || kind_ == Kind::kHill)
    ki_written_ = source_written(spec, spec.compounds[a_].name + ".ki");
  if (kind_ == Kind::kPhaseFraction) {
    const Formulation& f = spec.formulations[a_];
    const std::string n = f.name + ".";
    const bool from_file =
        std::any_of(spec.sources.begin(), spec.sources.end(),
                    [&](const ParameterSource& s) { return s.path.rfind(n, 0) == 0; });
    if (from_file && f.phases.size() > 1)
      for (std::size_t i = 0; i < f.phases.size(); ++i)
        if (i != b_ && !source_written(spec, n + f.phases[i].name + ".fraction")) rest_phase_ = i;
  }
}

SettablePath::SettablePath(const ScenarioSpec& spec, const std::string& path) {
  std::vector<SettablePath> listed = settable_paths(spec);
  for (SettablePath& p : listed)
    if (p.path() == path) {
      *this = std::move(p);
      return;
    }
  const std::string why = why_unknown(spec, path, listed);
  throw UnknownSettablePath(
      "unknown parameter '" + path + "': " + why + " (allowed: " + kSettablePatterns + ")", why);
}

double SettablePath::get(const ScenarioSpec& spec) const {
  switch (kind_) {
    case Kind::kMolarMass:
      return spec.compounds[a_].molar_mass_g_per_mol;
    case Kind::kCentralVolume:
      return spec.compounds[a_].central_volume_L;
    case Kind::kElimination:
      return spec.compounds[a_].k_elim_per_h;
    case Kind::kClearance:
      return spec.compounds[a_].k_elim_per_h * spec.compounds[a_].central_volume_L;
    case Kind::kHalfLife:
      return kLn2Settable / spec.compounds[a_].k_elim_per_h;
    case Kind::kPeripheralK12:
      return spec.compounds[a_].peripherals[b_].k_out_per_h;
    case Kind::kPeripheralK21:
      return spec.compounds[a_].peripherals[b_].k_in_per_h;
    case Kind::kPeripheralVolume: {
      const Compound& c = spec.compounds[a_];
      const PeripheralCompartment& p = c.peripherals[b_];
      return p.k_out_per_h * c.central_volume_L / p.k_in_per_h;
    }
    case Kind::kPeripheralClearance:
      return spec.compounds[a_].peripherals[b_].k_out_per_h * spec.compounds[a_].central_volume_L;
    case Kind::kMetaboliteFraction:
      return spec.compounds[a_].metabolites[b_].fraction;
    case Kind::kKe0:
      return spec.compounds[a_].ke0_per_h;
    case Kind::kKe0HalfLife:
      return kLn2Settable / spec.compounds[a_].ke0_per_h;
    case Kind::kPartition:
      return spec.compounds[a_].brain_partition;
    case Kind::kKon:
      return spec.compounds[a_].binding.kon_per_nM_n_per_h;
    case Kind::kKi:
      return spec.compounds[a_].binding.kd_nM();
    case Kind::kKoff:
      return spec.compounds[a_].binding.koff_per_h;
    case Kind::kHill:
      return spec.compounds[a_].binding.hill_n;
    case Kind::kTau:
      return spec.compounds[a_].binding.tau;
    case Kind::kBioavailability:
      return spec.formulations[a_].bioavailability;
    case Kind::kDosedMolarMass:
      return spec.formulations[a_].dosed_molar_mass_g_per_mol;
    case Kind::kFirstPassFraction:
      return spec.formulations[a_].first_pass[b_].fraction;
    case Kind::kPhaseFraction:
      return spec.formulations[a_].phases[b_].fraction;
    case Kind::kPhaseLag:
      return spec.formulations[a_].phases[b_].lag_h;
    case Kind::kPhaseDuration:
      return spec.formulations[a_].phases[b_].duration_h;
    case Kind::kPhaseTransit:
      return spec.formulations[a_].phases[b_].transit_rates_per_h[c_];
    case Kind::kTransducerSlope:
      return spec.receptor.transducer_slope;
    case Kind::kDoseAmount:
      return spec.arms[a_].doses[b_].amount_mg;
    case Kind::kDoseTime:
      return spec.arms[a_].doses[b_].time_h;
    case Kind::kDoseMissedLast:
      return static_cast<double>(spec.arms[a_].doses[b_].missed.size());
  }
  return 0.0;
}

void SettablePath::set(ScenarioSpec& spec, double v) const {
  switch (kind_) {
    case Kind::kMolarMass:
      spec.compounds[a_].molar_mass_g_per_mol = v;
      return;
    case Kind::kCentralVolume: {
      // As --set rereads the file: a written clearance, and the Q of a peripheral written
      // with volume and clearance, stay; the rates derived from them follow the volume.
      Compound& c = spec.compounds[a_];
      const double ratio = c.central_volume_L / v;
      if (clearance_written_) c.k_elim_per_h *= ratio;
      for (std::size_t i = 0; i < c.peripherals.size() && i < 64; ++i)
        if (q_spelled_ >> i & 1u) c.peripherals[i].k_out_per_h *= ratio;
      c.central_volume_L = v;
      return;
    }
    case Kind::kElimination:
      spec.compounds[a_].k_elim_per_h = v;
      return;
    case Kind::kClearance:
      spec.compounds[a_].k_elim_per_h = v / spec.compounds[a_].central_volume_L;
      return;
    case Kind::kHalfLife:
      spec.compounds[a_].k_elim_per_h = kLn2Settable / v;
      return;
    case Kind::kPeripheralK12:
      spec.compounds[a_].peripherals[b_].k_out_per_h = v;
      return;
    case Kind::kPeripheralK21:
      spec.compounds[a_].peripherals[b_].k_in_per_h = v;
      return;
    case Kind::kPeripheralVolume: {  // keeps Q: k21 = Q / V2
      Compound& c = spec.compounds[a_];
      PeripheralCompartment& p = c.peripherals[b_];
      p.k_in_per_h = p.k_out_per_h * c.central_volume_L / v;
      return;
    }
    case Kind::kPeripheralClearance: {  // keeps V2: k12 = Q / V1, k21 = Q / V2
      Compound& c = spec.compounds[a_];
      PeripheralCompartment& p = c.peripherals[b_];
      const double v2 = p.k_out_per_h * c.central_volume_L / p.k_in_per_h;
      p.k_out_per_h = v / c.central_volume_L;
      p.k_in_per_h = v / v2;
      return;
    }
    case Kind::kMetaboliteFraction:
      spec.compounds[a_].metabolites[b_].fraction = v;
      return;
    case Kind::kKe0:
      spec.compounds[a_].ke0_per_h = v;
      return;
    case Kind::kKe0HalfLife:
      spec.compounds[a_].ke0_per_h = kLn2Settable / v;
      return;
    case Kind::kPartition:
      spec.compounds[a_].brain_partition = v;
      return;
    case Kind::kKon:
      spec.compounds[a_].binding.kon_per_nM_n_per_h = v;
      return;
    case Kind::kKi: {  // keeps koff: the affinity changes through the association rate
      Binding& b = spec.compounds[a_].binding;
      b.kon_per_nM_n_per_h = b.koff_per_h / std::pow(v, b.hill_n);
      return;
    }
    case Kind::kKoff: {  // a written Ki stays (kon follows), else kon stays
      Binding& b = spec.compounds[a_].binding;
      const double ki = b.kd_nM();
      b.koff_per_h = v;
      if (ki_written_) b.kon_per_nM_n_per_h = v / std::pow(ki, b.hill_n);
      return;
    }
    case Kind::kHill: {  // likewise
      Binding& b = spec.compounds[a_].binding;
      const double ki = b.kd_nM();
      b.hill_n = v;
      if (ki_written_) b.kon_per_nM_n_per_h = b.koff_per_h / std::pow(ki, v);
      return;
    }
    case Kind::kTau:
      spec.compounds[a_].binding.tau = v;
      return;
    case Kind::kBioavailability:
      spec.formulations[a_].bioavailability = v;
      return;
    case Kind::kDosedMolarMass:
      spec.formulations[a_].dosed_molar_mass_g_per_mol = v;
      return;
    case Kind::kFirstPassFraction:
      spec.formulations[a_].first_pass[b_].fraction = v;
      return;
    case Kind::kPhaseFraction: {  // the phase written as "rest" takes what the others leave
      std::vector<AbsorptionPhase>& phases = spec.formulations[a_].phases;
      phases[b_].fraction = v;
      if (rest_phase_ < phases.size()) {
        double sum = 0.0;
        for (std::size_t i = 0; i < phases.size(); ++i)
          if (i != rest_phase_) sum += phases[i].fraction;
        phases[rest_phase_].fraction = std::max(0.0, 1.0 - sum);
      }
      return;
    }
    case Kind::kPhaseLag:
      spec.formulations[a_].phases[b_].lag_h = v;
      return;
    case Kind::kPhaseDuration:
      spec.formulations[a_].phases[b_].duration_h = v;
      return;
    case Kind::kPhaseTransit:  // one rate of the chain
      spec.formulations[a_].phases[b_].transit_rates_per_h[c_] = v;
      return;
    case Kind::kTransducerSlope:
      spec.receptor.transducer_slope = v;
      return;
    case Kind::kDoseAmount:
      spec.arms[a_].doses[b_].amount_mg = v;
      return;
    case Kind::kDoseTime:
      spec.arms[a_].doses[b_].time_h = v;
      return;
    case Kind::kDoseMissedLast: {  // the last k doses of the record not taken
      DoseRecord& d = spec.arms[a_].doses[b_];
      const long k = std::lround(v);
      if (k < 0 || k > d.addl + 1 || static_cast<double>(k) != v)
        throw ModelError(path_ + ": expected a whole number of doses in [0, " +
                         std::to_string(d.addl + 1) + "], got " + format_number(v));
      d.missed.clear();
      for (long i = d.addl + 1 - k; i <= d.addl; ++i) d.missed.push_back(static_cast<int>(i));
      return;
    }
  }
}

int SettablePath::apply_order() const {
  switch (kind_) {
    case Kind::kCentralVolume:
      return 0;
    case Kind::kHill:
      return 1;
    case Kind::kKoff:
      return 2;
    default:
      return 3;
  }
}

bool SettablePath::must_be_positive() const {
  switch (kind_) {
    case Kind::kPhaseLag:
    case Kind::kPhaseFraction:
    case Kind::kPhaseDuration:
    case Kind::kTau:
    case Kind::kMetaboliteFraction:
    case Kind::kFirstPassFraction:
    case Kind::kDoseTime:
    case Kind::kDoseMissedLast:
      return false;
    default:
      return true;
  }
}

std::vector<SettablePath> settable_paths(const ScenarioSpec& spec) { return Lister(spec).run(); }

std::vector<SettableParameter> settable_parameters(const ScenarioSpec& spec) {
  std::vector<SettableParameter> out;
  for (const SettablePath& p : settable_paths(spec))
    out.push_back(
        {p.path(), p.is_count() ? "" : p.dimension().internal_unit(),
         p.is_count() ? std::to_string(std::lround(p.get(spec))) : format_number(p.get(spec))});
  return out;
}

std::string describe_settable_parameters(const ScenarioSpec& spec) {
  const std::vector<SettableParameter> params = settable_parameters(spec);
  std::size_t wp = 4, wu = 4;
  for (const SettableParameter& p : params) {
    wp = std::max(wp, p.path.size());
    wu = std::max(wu, p.unit.size());
  }
  std::ostringstream os;
  os << "Settable parameters of " << spec.name << " (--set 'PATH=VALUE UNIT', and the paths of "
     << "sweeps, populations and fits; any unit of the same dimension is accepted):\n";
  const auto row = [&](const std::string& a, const std::string& b, const std::string& c) {
    os << "  " << a << std::string(wp - a.size() + 2, ' ') << b
       << std::string(wu - b.size() + 2, ' ') << c << "\n";
  };
  row("path", "unit", "value");
  for (const SettableParameter& p : params) row(p.path, p.unit.empty() ? "-" : p.unit, p.value);
  return os.str();
}

}  // namespace morsim
