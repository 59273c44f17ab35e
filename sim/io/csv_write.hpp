// CSV tables for the people who will not open HDF5: one header row whose names carry their
// units (`time_h`, `plasma_naltrexone_nM`), written atomically like every other output.
#pragma once

#include <string>
#include <vector>

namespace morsim {

struct CsvTable {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;  // cells already formatted
};

// A number as CSV text: 10 significant digits, "" for NaN (an empty cell, as R and pandas
// read a missing value).
std::string csv_number(double x);

// Writes through a partial file renamed onto `path`; throws OutputError if it exists and
// !force, or on any I/O failure.
void write_csv(const std::string& path, const CsvTable& table, bool force);

}  // namespace morsim
