// The paragraph `morsim demo population` prints: what the virtual patients show, with the
// numbers of the run.
#pragma once

#include <string>

#include "population/population_runner.hpp"

namespace morsim {

std::string population_lesson_paragraph(const population::PopulationSpec& ps,
                                        const population::PopulationResult& r);

}  // namespace morsim
