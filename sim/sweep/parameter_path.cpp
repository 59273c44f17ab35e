// Path parsing against the base scenario's names; the setters write internal units.
#include "sweep/parameter_path.hpp"

#include <cmath>
#include <stdexcept>

#include "model/errors.hpp"

namespace morsim::sweep {

namespace {

// The sweep sets molar masses too and lets binding parameters of any compound be set.
constexpr ModelParameterRules kSweepRules{true, false};

[[noreturn]] void unknown(const std::string& path, const std::string& why) {
  throw std::invalid_argument("unknown parameter path '" + path + "': " + why +
                              " (allowed: " + allowed_parameter_paths() + ")");
}

}  // namespace

std::string allowed_parameter_paths() {
  return allowed_model_paths(kSweepRules) +
         ", doses.<arm>.<index>.{amount, time, missed_last}, challenge.{amount, time}";
}

ParameterPath::ParameterPath(const ScenarioSpec& base, const std::string& path, bool has_challenge)
    : path_(path), dim_(dim::dimensionless()) {
  const std::vector<std::string> p = split_parameter_path(path);
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
  try {
    model_.emplace(base, path, kSweepRules);
  } catch (const UnknownModelParameter& e) {
    unknown(path, e.why());
  }
  dim_ = model_->dimension();
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
    case Kind::kModel:
      model_->set(spec, v);
      return;
  }
}

}  // namespace morsim::sweep
