// `morsim show` of a scenario's [lesson] table: what a reader of the config needs to know
// about the lesson without running it.
#pragma once

#include <string>

#include "model/scenario.hpp"

namespace morsim {

// The kind and what it computes, each role with its arms, each setting (given or default),
// and the named numbers of the paragraph, in the order the text uses them. "" without a
// [lesson] table.
std::string describe_lesson(const ScenarioSpec& spec);

}  // namespace morsim
