// A model parameter named by a config path ("naltrexone.clearance",
// "naltrexone-depot-380mg.erosion.transit[0]"), in the vocabulary of the model files and
// --set (docs/config.md), resolved once against the scenario into a getter and
// setter on ScenarioSpec copies. Shared by the population's variability and the sweep's
// parameter axes. Kept out of sim/model because it speaks units (the input boundary).
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "model/scenario.hpp"
#include "units/units.hpp"

namespace morsim {

// Where the population and the sweep still differ in what a path may name or do.
struct ModelParameterRules {
  bool molar_mass = false;             // accept <compound>.molar_mass
  bool binding_needs_receptor = true;  // kon, koff, ki, tau only of receptor binders
};

// The path does not name a parameter of the scenario. what() is the full message (naming the
// allowed paths); why() is the reason alone, for callers that word the message themselves.
class UnknownModelParameter : public std::invalid_argument {
 public:
  UnknownModelParameter(const std::string& what, std::string why)
      : std::invalid_argument(what), why_(std::move(why)) {}
  const std::string& why() const { return why_; }

 private:
  std::string why_;
};

class ModelParameter {
 public:
  // Throws UnknownModelParameter naming the allowed paths.
  ModelParameter(const ScenarioSpec& spec, const std::string& path,
                 const ModelParameterRules& rules = {});

  const std::string& path() const { return path_; }
  const ExpectedDimension& dimension() const { return dim_; }
  // Internal units. Clearance is k_elim x V; setting it changes k_elim at the current V, so
  // set volumes before clearances (apply_order() sorts them so).
  double get(const ScenarioSpec& spec) const;
  void set(ScenarioSpec& spec, double value) const;
  // Volumes first, clearances after them, everything else last.
  int apply_order() const;
  // Only positive values make sense (all but phase lag and the fractions may be zero).
  bool must_be_positive() const;

 private:
  enum class Kind {
    kCentralVolume,
    kClearance,
    kElimination,
    kHalfLife,
    kKe0,
    kKe0HalfLife,
    kBrainPartition,
    kKon,
    kKoff,
    kKi,
    kTau,
    kMolarMass,
    kBioavailability,
    kPhaseFraction,
    kPhaseLag,
    kPhaseDuration,
    kPhaseTransit
  };
  std::string path_;
  Kind kind_ = Kind::kKoff;
  ExpectedDimension dim_;
  std::size_t a_ = 0, b_ = 0;  // compound or formulation index; phase index
  std::size_t transit_ = 0;    // which transit rate of the phase
};

// The path patterns accepted under `rules`, for error messages and docs.
std::string allowed_model_paths(const ModelParameterRules& rules = {});

// "a.b.c" -> {"a", "b", "c"}.
std::vector<std::string> split_parameter_path(const std::string& path);

}  // namespace morsim
