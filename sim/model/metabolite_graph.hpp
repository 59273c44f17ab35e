// Questions about the metabolite graph of a scenario (which compound becomes which).
#pragma once

#include <string>

#include "model/scenario.hpp"

namespace morsim {

// True when the compound is an agonist or is metabolised (at any depth) into one.
bool produces_agonist(const ScenarioSpec& spec, const std::string& compound);

}  // namespace morsim
