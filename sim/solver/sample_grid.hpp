// The output times of one arm: the scenario's grid plus, optionally, fine samples after doses.
#pragma once

#include <vector>

#include "model/scenario.hpp"

namespace morsim {

std::vector<double> arm_sample_times(const ScenarioSpec& spec, const Arm& arm);

// An upper bound on the samples of all arms together, counted without building them, so
// that a run too large to hold or write can be refused before it starts.
double predicted_samples(const ScenarioSpec& spec);

}  // namespace morsim
