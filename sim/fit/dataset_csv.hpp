// The observations of a dataset: a CSV file with '#' comment lines, a header line naming the
// columns, a units line, then one observation per line (docs/fit.md). Values are converted
// once, here, from the units row; errors name the CSV file, line and column.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "fit/fit_spec.hpp"

namespace morsim::fit {

// The file split into cells (quotes as in RFC 4180, cells trimmed).
struct CsvTable {
  std::string path;
  int header_line = 0, units_line = 0;
  std::vector<std::string> columns, units;  // units padded with "" to the columns' count
  struct Row {
    int line = 0;
    std::vector<std::string> cells;  // padded with "" to the columns' count
  };
  std::vector<Row> rows;

  // Index of a column, or -1 when there is none.
  int column(const std::string& name) const;
};

// The columns a dataset CSV may have.
const std::vector<std::string>& csv_columns();

// Reads and splits the file; checks column names (unknown, repeated) and the cell counts.
// Throws ConfigError(path, line, column, problem).
CsvTable read_csv(const std::string& path);

// The shape of a CSV file other readers share: the columns it knows, whether a units line
// follows the header, and whether other columns are kept (for the caller to ignore) or refused.
struct CsvLayout {
  std::vector<std::string> columns;
  bool units_line = true;
  bool other_columns = false;
};
CsvTable read_csv(const std::string& path, const CsvLayout& layout);

// How one value unit reads in the statistic's internal unit (docs/fit.md): the factor, and the
// internal unit's name. `molar_mass` (g/mol) converts mass concentrations for plasma.
// Throws UnitError naming what is allowed.
double value_unit_scale(const std::string& unit, Quantity q, Statistic s, double molar_mass);
std::string internal_unit(Quantity q, Statistic s);

// What the rows are checked against.
struct CsvRules {
  Quantity quantity = Quantity::kOccupancy;
  Statistic statistic = Statistic::kValue;
  double molar_mass = 0.0;                // of the plasma compound
  std::vector<std::string> arms;          // the scenario's arm names
  std::optional<std::size_t> arm;         // for rows without a group
  std::string dataset;                    // for messages
  double t_start_h = 0.0, t_end_h = 0.0;  // the scenario's output range
  bool log = false;
};

struct CsvData {
  std::string value_unit;  // as written ("1" when empty)
  double value_scale = 1.0;
  std::vector<Observation> rows;  // sigma NaN where the row gives neither sem nor sd
  bool has_group = false;
};

// The observations of `table`; sd and sem are converted to the value's unit.
CsvData read_observations(const CsvTable& table, const CsvRules& rules);

}  // namespace morsim::fit
