// A NONMEM-style event table (ID, TIME, EVID, AMT, CMT, RATE, II, ADDL, SS, F, LAG) read from
// CSV: upper-case column names, "." for a missing value, other columns ignored. Values stay in
// the dataset's units; errors name the CSV file, line and column (docs/config.md, Datasets).
#pragma once

#include <cmath>
#include <string>
#include <vector>

namespace morsim::nonmem {

struct EventRow {
  int line = 0;       // in the CSV file
  std::string id;     // as written: "1", "12"
  double time = 0.0;  // TIME, in the dataset's time unit, >= 0
  int evid = 0;       // 0 observation, 1 dose, 2 other (an output time), 3 reset, 4 reset+dose
  double amt = 0.0;   // AMT, in the dataset's amount unit, >= 0
  int cmt = 0;        // CMT, > 0; 0 when missing
  double rate = 0.0;  // RATE, > 0 an infusion rate; 0 none; -2 the formulation's own duration
  double ii = 0.0;    // II, >= 0
  long addl = 0;      // ADDL, >= 0
  int ss = 0;         // SS, 0, 1 or 2
  double f = NAN;     // F column: NaN when absent or "."
  double lag = NAN;   // LAG column: NaN when absent or "."
};

struct EventTable {
  std::string path;
  std::vector<EventRow> rows;                // in file order
  std::vector<std::string> ignored_columns;  // columns morsim does not read (DV, WT, ...)
  bool has_f = false, has_lag = false;
};

// The columns read; DV and MDV are known and not used (every EVID 0 row is an output time).
const std::vector<std::string>& event_columns();
const std::vector<std::string>& required_event_columns();

// Throws ConfigError(path, line, column, problem) for the first bad cell or a missing column.
EventTable read_event_table(const std::string& path);

}  // namespace morsim::nonmem
