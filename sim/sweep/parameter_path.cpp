// Path parsing against the base scenario's names; the setters write internal units.
#include "sweep/parameter_path.hpp"

#include <cmath>
#include <stdexcept>

#include "model/errors.hpp"

namespace morsim::sweep {

namespace {

std::vector<std::string> split(const std::string& s) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= s.size(); ++i)
    if (i == s.size() || s[i] == '.') {
      out.push_back(s.substr(start, i - start));
      start = i + 1;
    }
  return out;
}

[[noreturn]] void unknown(const std::string& path, const std::string& why) {
  throw std::invalid_argument("unknown parameter path '" + path + "': " + why +
                              " (allowed: " + allowed_parameter_paths() + ")");
}

}  // namespace

std::string allowed_parameter_paths() {
  return "<compound>.{central_volume, clearance, k_elim, ke0, brain_partition, kon, koff, ki, "
         "tau, molar_mass}, <formulation>.bioavailability, "
         "<formulation>.<phase>.{fraction, lag, duration, rate}, "
         "doses.<arm>.<index>.{amount, time, missed_last}, challenge.{amount, time}";
}

ParameterPath::ParameterPath(const ScenarioSpec& base, const std::string& path, bool has_challenge)
    : path_(path), dim_(dim::dimensionless()) {
  const std::vector<std::string> p = split(path);
  if (p.size() == 2 && p[0] == "challenge") {
    if (!has_challenge) unknown(path, "the sweep file has no [challenge]");
    if (p[1] == "amount") {
      kind_ = Kind::kChallengeAmount;
      dim_ = dim::mass();
    } else if (p[1] == "time") {
      kind_ = Kind::kChallengeTime;
      dim_ = dim::time();
    } else {
      unknown(path, "a challenge has 'amount' and 'time'");
    }
    return;
  }
  if (p.size() == 4 && p[0] == "doses") {
    std::size_t arm = base.arms.size();
    for (std::size_t i = 0; i < base.arms.size(); ++i)
      if (base.arms[i].name == p[1]) arm = i;
    if (arm == base.arms.size()) unknown(path, "no arm '" + p[1] + "'");
    std::size_t idx = 0;
    try {
      idx = std::stoul(p[2]);
    } catch (const std::exception&) {
      unknown(path, "'" + p[2] + "' is not a dose index");
    }
    if (idx >= base.arms[arm].doses.size())
      unknown(path, "arm '" + p[1] + "' has " + std::to_string(base.arms[arm].doses.size()) +
                        " dose records (indices from 0)");
    a_ = arm;
    b_ = idx;
    if (p[3] == "amount") {
      kind_ = Kind::kDoseAmount;
      dim_ = dim::mass();
    } else if (p[3] == "time") {
      kind_ = Kind::kDoseTime;
      dim_ = dim::time();
    } else if (p[3] == "missed_last") {
      kind_ = Kind::kDoseMissedLast;  // a count: the last k doses of the record not taken
    } else {
      unknown(path, "a dose has 'amount', 'time' and 'missed_last'");
    }
    return;
  }
  for (std::size_t c = 0; c < base.compounds.size(); ++c) {
    if (base.compounds[c].name != p[0] || p.size() != 2) continue;
    a_ = c;
    const std::string& k = p[1];
    if (k == "central_volume")
      kind_ = Kind::kCentralVolume, dim_ = dim::volume();
    else if (k == "clearance")
      kind_ = Kind::kClearance, dim_ = dim::clearance();
    else if (k == "k_elim")
      kind_ = Kind::kElimination, dim_ = dim::rate();
    else if (k == "ke0")
      kind_ = Kind::kKe0, dim_ = dim::rate();
    else if (k == "brain_partition")
      kind_ = Kind::kBrainPartition;
    else if (k == "kon")
      kind_ = Kind::kKon, dim_ = dim::kon(base.compounds[c].binding.hill_n);
    else if (k == "koff")
      kind_ = Kind::kKoff, dim_ = dim::rate();
    else if (k == "ki")
      kind_ = Kind::kKi, dim_ = dim::concentration();
    else if (k == "tau")
      kind_ = Kind::kTau;
    else if (k == "molar_mass")
      kind_ = Kind::kMolarMass, dim_ = dim::molar_mass();
    else
      unknown(path, "compound '" + p[0] + "' has no parameter '" + k + "'");
    return;
  }
  for (std::size_t f = 0; f < base.formulations.size(); ++f) {
    const Formulation& form = base.formulations[f];
    if (form.name != p[0]) continue;
    a_ = f;
    if (p.size() == 2 && p[1] == "bioavailability") {
      kind_ = Kind::kBioavailability;
      return;
    }
    if (p.size() != 3) unknown(path, "formulation paths are <formulation>.<phase>.<parameter>");
    std::size_t ph = form.phases.size();
    for (std::size_t i = 0; i < form.phases.size(); ++i)
      if (form.phases[i].name == p[1]) ph = i;
    if (ph == form.phases.size())
      unknown(path, "formulation '" + p[0] + "' has no phase '" + p[1] + "'");
    b_ = ph;
    if (p[2] == "fraction")
      kind_ = Kind::kPhaseFraction;
    else if (p[2] == "lag")
      kind_ = Kind::kPhaseLag, dim_ = dim::time();
    else if (p[2] == "duration")
      kind_ = Kind::kPhaseDuration, dim_ = dim::time();
    else if (p[2] == "rate") {
      if (form.phases[ph].transit_rates_per_h.empty())
        unknown(path, "phase '" + p[1] + "' has no transit compartment");
      kind_ = Kind::kPhaseRate;
      dim_ = dim::rate();
    } else {
      unknown(path, "a phase has fraction, lag, duration, rate");
    }
    return;
  }
  unknown(path, "'" + p[0] + "' is not a compound or formulation of the base scenario");
}

void ParameterPath::apply(ScenarioSpec& spec, ChallengeDose& challenge, double v) const {
  switch (kind_) {
    case Kind::kChallengeAmount:
      challenge.amount_mg = v;
      return;
    case Kind::kChallengeTime:
      challenge.time_h = v;
      return;
    case Kind::kDoseAmount:
      spec.arms[a_].doses[b_].amount_mg = v;
      return;
    case Kind::kDoseTime:
      spec.arms[a_].doses[b_].time_h = v;
      return;
    case Kind::kDoseMissedLast: {
      DoseRecord& d = spec.arms[a_].doses[b_];
      const long k = std::lround(v);
      if (k < 0 || k > d.addl + 1 || static_cast<double>(k) != v)
        throw ModelError(path_ + ": expected a whole number of doses in [0, " +
                         std::to_string(d.addl + 1) + "], got " + std::to_string(v));
      d.missed.clear();
      for (long i = d.addl + 1 - k; i <= d.addl; ++i) d.missed.push_back(static_cast<int>(i));
      return;
    }
    default:
      break;
  }
  if (kind_ >= Kind::kBioavailability) {
    Formulation& f = spec.formulations[a_];
    switch (kind_) {
      case Kind::kBioavailability:
        f.bioavailability = v;
        return;
      case Kind::kPhaseFraction:
        f.phases[b_].fraction = v;
        return;
      case Kind::kPhaseLag:
        f.phases[b_].lag_h = v;
        return;
      case Kind::kPhaseDuration:
        f.phases[b_].duration_h = v;
        return;
      case Kind::kPhaseRate:
        // Every compartment of the chain: the phase's release rate as one number.
        for (double& r : f.phases[b_].transit_rates_per_h) r = v;
        return;
      default:
        return;
    }
  }
  Compound& c = spec.compounds[a_];
  switch (kind_) {
    case Kind::kCentralVolume:
      c.central_volume_L = v;
      return;
    case Kind::kClearance:
      c.k_elim_per_h = v / c.central_volume_L;
      return;  // after the volume
    case Kind::kElimination:
      c.k_elim_per_h = v;
      return;
    case Kind::kKe0:
      c.ke0_per_h = v;
      return;
    case Kind::kBrainPartition:
      c.brain_partition = v;
      return;
    case Kind::kKon:
      c.binding.kon_per_nM_n_per_h = v;
      return;
    case Kind::kKoff:
      c.binding.koff_per_h = v;
      return;
    case Kind::kKi:
      // Keep koff (the kinetics), move the affinity: K^n = koff / kon.
      c.binding.kon_per_nM_n_per_h = c.binding.koff_per_h / std::pow(v, c.binding.hill_n);
      return;
    case Kind::kTau:
      c.binding.tau = v;
      return;
    case Kind::kMolarMass:
      c.molar_mass_g_per_mol = v;
      return;
    default:
      return;
  }
}

}  // namespace morsim::sweep
