// A scenario's doses as a NONMEM-style dataset (ID, TIME, EVID, AMT, CMT, RATE, II, ADDL, SS,
// MDV, DV) and the [dataset] table that reads it back (docs/config.md, Datasets).
#pragma once

#include <string>
#include <vector>

#include "io/csv_write.hpp"
#include "model/scenario.hpp"
#include "model/trajectory.hpp"

namespace morsim::nonmem {

struct DatasetExport {
  CsvTable dataset;
  std::string mapping_toml;  // [dataset] with cmt.<n> and id.<n>, to paste into the scenario
};

// One ID per arm of `arms` (a results file's), in order. Each dose as taken is one record at its
// applied time (missed doses left out, late ones at their time); resets, steady states and
// infusion rates come from the scenario's dose records, and every dose is checked against the
// arm's event log. EVID 0 records at the arm's output times follow the doses at a shared time,
// as morsim samples just after a dose. Throws InputFileError when an arm is not the scenario's
// or its log disagrees, and ModelError for a record NONMEM cannot express.
DatasetExport export_dataset(const ScenarioSpec& spec, const std::vector<Trajectory>& arms,
                             const std::string& source);

// A number with the digits to read back exactly.
std::string exact_number(double x);

}  // namespace morsim::nonmem
