// The one parameter vocabulary: every path that `--set PATH=VALUE`, sweeps, populations and
// fits accept for a scenario, with its unit and current value (`morsim show --params`), and
// the same paths resolved once into a setter on ScenarioSpec copies for sweeps and
// populations. The paths are the model files' keys (docs/config.md).
#pragma once

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "model/scenario.hpp"
#include "units/units.hpp"

namespace morsim {

struct SettableParameter {
  std::string path;   // "naltrexone.ke0", "naltrexone-oral-50mg.gut.transit[0]", "doses.a.0.time"
  std::string unit;   // the internal unit: "/h", "L", "mg"; empty when dimensionless or a count
  std::string value;  // the current value in `unit`, as text that reads back exactly
};

// In the order of the scenario: compounds, formulations, the receptor, then each arm's doses.
// Alternatives of one quantity (elimination_rate, clearance, half_life; ke0, ke0_half_life;
// kon, ki) are all listed; a peripheral compartment is listed in the spelling its file uses.
std::vector<SettableParameter> settable_parameters(const ScenarioSpec& spec);

// The list as a table: a heading, then "  path  unit  value" per line.
std::string describe_settable_parameters(const ScenarioSpec& spec);

// The path names nothing settable in the scenario. what() is the full message (with a "did
// you mean" and the allowed patterns); why() is the reason alone, for callers that word the
// message themselves.
class UnknownSettablePath : public std::invalid_argument {
 public:
  UnknownSettablePath(const std::string& what, std::string why)
      : std::invalid_argument(what), why_(std::move(why)) {}
  const std::string& why() const { return why_; }

 private:
  std::string why_;
};

// One listed path resolved against a scenario: get and set its value on copies of that
// scenario in internal units, with the meaning --set gives it (the TOML reread): setting
// central_volume keeps a written clearance (and a peripheral's Q), koff and hill keep a
// written ki, a phase fraction moves the phase written as "rest". Setting is a switch on a
// kind resolved at load, so a sweep or population pays nothing per scenario for the path.
class SettablePath {
 public:
  // Throws UnknownSettablePath.
  SettablePath(const ScenarioSpec& spec, const std::string& path);

  const std::string& path() const { return path_; }
  const ExpectedDimension& dimension() const { return dim_; }
  double get(const ScenarioSpec& spec) const;
  // Throws ModelError for a count (missed_last) that is not a whole number in range.
  void set(ScenarioSpec& spec, double value) const;
  // Set in increasing order (0 to kApplyOrders - 1) when several are set on one copy: volumes
  // first, then hill, then koff, then the rest; --set gives the same result in any order.
  static constexpr int kApplyOrders = 4;
  int apply_order() const;
  // Only positive values make sense (lags, durations, fractions, tau, dose times and counts
  // may be zero).
  bool must_be_positive() const;
  // A whole number (doses.<arm>.<i>.missed_last), not a quantity.
  bool is_count() const { return kind_ == Kind::kDoseMissedLast; }

  enum class Kind {
    kMolarMass,
    kCentralVolume,
    kElimination,
    kClearance,
    kHalfLife,
    kPeripheralK12,
    kPeripheralK21,
    kPeripheralVolume,
    kPeripheralClearance,
    kMetaboliteFraction,
    kKe0,
    kKe0HalfLife,
    kPartition,
    kKon,
    kKi,
    kKoff,
    kHill,
    kTau,
    kBioavailability,
    kDosedMolarMass,
    kFirstPassFraction,
    kPhaseFraction,
    kPhaseLag,
    kPhaseDuration,
    kPhaseTransit,
    kTransducerSlope,
    kDoseAmount,
    kDoseTime,
    kDoseMissedLast
  };
  // A path of the list, built directly; reads the spelling flags below off `spec`.
  SettablePath(const ScenarioSpec& spec, std::string path, Kind kind, const ExpectedDimension& d,
               std::size_t a, std::size_t b = 0, std::size_t c = 0);
  Kind kind() const { return kind_; }

 private:
  std::string path_;
  Kind kind_ = Kind::kMolarMass;
  ExpectedDimension dim_ = dim::dimensionless();
  // Compound, formulation or arm index; peripheral, metabolite, first-pass, phase or dose
  // index; transit index.
  std::size_t a_ = 0, b_ = 0, c_ = 0;
  // As the scenario's files wrote it (ParameterSource paths), read once at resolution:
  bool clearance_written_ = false;  // <compound>.clearance: central_volume keeps CL
  bool ki_written_ = false;         // <compound>.ki: koff and hill keep Ki
  std::uint64_t q_spelled_ = 0;     // bit i: peripheral[i] in volume/clearance (keeps Q)
  std::size_t rest_phase_ = static_cast<std::size_t>(-1);  // the phase written as "rest"
};

// Every path of settable_parameters(spec), resolved, in the same order.
std::vector<SettablePath> settable_paths(const ScenarioSpec& spec);

}  // namespace morsim
