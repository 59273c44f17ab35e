// The output times of one arm: the scenario's grid plus, optionally, fine samples after doses.
#pragma once

#include <vector>

#include "model/scenario.hpp"

namespace morsim {

std::vector<double> arm_sample_times(const ScenarioSpec& spec, const Arm& arm);

}  // namespace morsim
