// What makes two population runs produce the same result file: a checkpoint may only be
// continued by a run with the same identity, or the resumed file would mix two studies.
#pragma once

#include <cstdint>
#include <string>

#include "population/population_spec.hpp"

namespace morsim::population {

struct RunIdentity {
  std::string config_hash;  // FNV-1a 64 of the config text, hex
  // FNV-1a 64 of `morsim show` of the typical scenario: every equation, parameter value and
  // dose as resolved from models/, so an edited compound file is noticed too.
  std::string model_hash;
  std::string software;  // morsim version and git commit: other code may give other numbers
  std::uint64_t subjects = 0;
  std::uint64_t seed = 0;
};

RunIdentity run_identity(const PopulationSpec& ps);

// Why a checkpoint of `stored` cannot be continued by a run of `now` ("the config text
// differs", "subjects differ: 200 in the checkpoint, 100 now", ...); "" when they match.
std::string identity_mismatch(const RunIdentity& stored, const RunIdentity& now);

}  // namespace morsim::population
