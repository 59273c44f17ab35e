// A compound or formulation of a scenario by name; the test fails if it is missing.
#pragma once

#include <catch2/catch.hpp>
#include <string>

#include "model/scenario.hpp"

namespace morsim::testing {

inline const Compound& compound(const ScenarioSpec& s, const std::string& name) {
  const Compound* c = s.find_compound(name);
  REQUIRE(c != nullptr);
  return *c;
}

inline const Formulation& formulation(const ScenarioSpec& s, const std::string& name) {
  const Formulation* f = s.find_formulation(name);
  REQUIRE(f != nullptr);
  return *f;
}

}  // namespace morsim::testing
