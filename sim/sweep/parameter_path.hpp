// Sweep parameter paths: every path of `morsim show --params` (resolved through the one
// vocabulary, config/settable_params.hpp), and the sweep's own challenge.amount and
// challenge.time, resolved once against the base scenario into setters on a ScenarioSpec copy.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include "config/settable_params.hpp"
#include "model/scenario.hpp"
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
  bool is_challenge() const { return kind_ != Kind::kModel; }
  // The order in which a scenario's parameters are set (SettablePath::apply_order).
  int apply_order() const { return model_ ? model_->apply_order() : 0; }
  void apply(ScenarioSpec& spec, ChallengeDose& challenge, double value) const;

 private:
  enum class Kind { kModel, kChallengeAmount, kChallengeTime };
  std::string path_;
  Kind kind_ = Kind::kModel;
  ExpectedDimension dim_;
  std::optional<SettablePath> model_;  // every path but the challenge's
};

// The path patterns accepted, for error messages and docs.
std::string allowed_parameter_paths();

}  // namespace morsim::sweep
