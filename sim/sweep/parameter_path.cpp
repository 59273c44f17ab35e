// The challenge paths are the sweep's own; every other path is the --set vocabulary's.
#include "sweep/parameter_path.hpp"

#include <stdexcept>

namespace morsim::sweep {

namespace {

[[noreturn]] void unknown_sweep_path(const std::string& path, const std::string& why) {
  throw std::invalid_argument("unknown parameter path '" + path + "': " + why +
                              " (allowed: " + allowed_parameter_paths() + ")");
}

}  // namespace

std::string allowed_parameter_paths() {
  return "every path `morsim show --params BASE` lists (<compound>.<key>, "
         "<compound>.peripheral[i].<key>, <compound>.metabolites[i].fraction, "
         "<formulation>.<key>, <formulation>.<phase>.<key>, receptor.transducer_slope, "
         "doses.<arm>.<index>.{amount, time, missed_last}), challenge.{amount, time}";
}

ParameterPath::ParameterPath(const ScenarioSpec& base, const std::string& path, bool has_challenge)
    : path_(path), dim_(dim::dimensionless()) {
  if (path.rfind("challenge.", 0) == 0) {
    if (!has_challenge) unknown_sweep_path(path, "the sweep file has no [challenge]");
    const std::string key = path.substr(10);
    if (key == "amount") {
      kind_ = Kind::kChallengeAmount;
      dim_ = dim::mass();
    } else if (key == "time") {
      kind_ = Kind::kChallengeTime;
      dim_ = dim::time();
    } else {
      unknown_sweep_path(path, "a challenge has 'amount' and 'time'");
    }
    return;
  }
  try {
    model_.emplace(base, path);
  } catch (const UnknownSettablePath& e) {
    unknown_sweep_path(path, e.why());
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
    case Kind::kModel:
      model_->set(spec, v);
      return;
  }
}

}  // namespace morsim::sweep
