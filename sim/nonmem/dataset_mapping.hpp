// The scenario's [dataset] table: which morsim formulation each CMT number doses, with
// $PK-like per-compartment F and ALAG, the dataset's units, and optional arm names per ID.
#pragma once

#include <map>
#include <optional>
#include <string>

namespace morsim::nonmem {

struct CompartmentDose {
  std::string formulation;
  double f = 1.0;       // NONMEM's F<n>: a multiplier of AMT, >= 0
  double alag_h = 0.0;  // NONMEM's ALAG<n>: added to every input phase's lag
  int line = 0;         // of the entry, for messages
};

struct DatasetMapping {
  std::string file;  // the scenario file
  int line = 0;      // of [dataset]
  std::string time_unit = "h", amount_unit = "mg";
  double hours_per_time_unit = 1.0, mg_per_amount_unit = 1.0;
  std::map<int, CompartmentDose> cmt;
  std::map<std::string, std::string> arm_names;  // ID -> arm name; default "id<ID>"
};

// The [dataset] table of a scenario file, or nothing when it has none. Throws ConfigError
// naming the file, line and key.
std::optional<DatasetMapping> read_dataset_mapping(const std::string& scenario_path);

}  // namespace morsim::nonmem
