// A model parameter named by a config path ("naltrexone.clearance",
// "naltrexone-depot-380mg.slow.rate"), resolved once against the scenario into a getter and
// setter on ScenarioSpec copies. Kept here rather than shared with sim/sweep so that the
// population command does not depend on that work in progress.
#pragma once

#include <cstddef>
#include <string>

#include "model/scenario.hpp"
#include "units/units.hpp"

namespace morsim::population {

class ParameterTarget {
 public:
  // Throws std::invalid_argument naming the allowed paths.
  ParameterTarget(const ScenarioSpec& spec, const std::string& path);

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
    kKe0,
    kBrainPartition,
    kKon,
    kKoff,
    kKi,
    kTau,
    kBioavailability,
    kPhaseFraction,
    kPhaseLag,
    kPhaseDuration,
    kPhaseRate
  };
  std::string path_;
  Kind kind_ = Kind::kKoff;
  ExpectedDimension dim_;
  std::size_t a_ = 0, b_ = 0;  // compound or formulation index; phase index
};

std::string allowed_population_paths();

}  // namespace morsim::population
