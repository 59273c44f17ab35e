// Sweep parameter paths ("naltrexone.koff", "doses.naltrexone.0.amount", "challenge.time")
// resolved once against the base scenario into setters on a ScenarioSpec copy.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include "model/scenario.hpp"
#include "params/model_parameter.hpp"
#include "units/units.hpp"

namespace morsim::sweep {

// The extra agonist dose a sweep may add to the base arm.
struct ChallengeDose {
  bool present = false;
  std::size_t formulation = 0;  // index into ScenarioSpec::formulations
  double amount_mg = 0.0;
  double time_h = 0.0;
};

class ParameterPath {
 public:
  // Throws std::invalid_argument naming the problem and the allowed paths.
  ParameterPath(const ScenarioSpec& base, const std::string& path, bool has_challenge);

  const std::string& path() const { return path_; }
  const ExpectedDimension& dimension() const { return dim_; }
  // True for challenge.amount / challenge.time: scenarios differing only in these share the
  // antagonist-only prefix of the simulation.
  bool is_challenge() const {
    return kind_ == Kind::kChallengeAmount || kind_ == Kind::kChallengeTime;
  }
  void apply(ScenarioSpec& spec, ChallengeDose& challenge, double value) const;

 private:
  enum class Kind {
    kModel,  // a compound or formulation parameter: model_
    kDoseAmount,
    kDoseTime,
    kDoseMissedLast,
    kChallengeAmount,
    kChallengeTime
  };
  std::string path_;
  Kind kind_ = Kind::kModel;
  ExpectedDimension dim_;
  std::optional<ModelParameter> model_;
  std::size_t a_ = 0, b_ = 0;  // arm index, dose index
};

// The path patterns accepted, for error messages and docs.
std::string allowed_parameter_paths();

}  // namespace morsim::sweep
