// A NONMEM-style event table as morsim arms: each ID an arm, EVID 1-4 dose records with
// NONMEM's semantics, EVID 0 and 2 output times (docs/config.md, Datasets).
#pragma once

#include <string>
#include <vector>

#include "model/scenario.hpp"
#include "nonmem/dataset_mapping.hpp"
#include "nonmem/event_table.hpp"

namespace morsim::nonmem {

// Replaces spec.arms by the dataset's IDs, in the order they first appear. A compartment or
// record lag (ALAG, LAG) doses a copy of the formulation with that lag added to every phase,
// named "<formulation>@lag=<h>h". Notes and warnings for the user are appended to `notes`.
// Throws ConfigError naming the CSV line and column, or the scenario's [dataset] line.
void apply_dataset(ScenarioSpec& spec, const DatasetMapping& mapping, const EventTable& table,
                   std::vector<std::string>& notes);

}  // namespace morsim::nonmem
