// Quoting follows RFC 4180: a cell with a comma, quote or newline is quoted, quotes doubled.
#include "io/csv_write.hpp"

#include <cmath>
#include <cstdio>
#include <fstream>

#include "io/partial_file.hpp"
#include "model/errors.hpp"

namespace morsim {
namespace {

std::string quoted(const std::string& cell) {
  if (cell.find_first_of(",\"\n\r") == std::string::npos) return cell;
  std::string out = "\"";
  for (char c : cell) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

void write_row(std::ofstream& out, const std::vector<std::string>& cells) {
  for (std::size_t i = 0; i < cells.size(); ++i) out << (i ? "," : "") << quoted(cells[i]);
  out << "\n";
}

}  // namespace

std::string csv_number(double x) {
  if (std::isnan(x)) return "";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.10g", x);
  return buf;
}

void write_csv(const std::string& path, const CsvTable& table, bool force) {
  refuse_existing(path, force);
  PartialFile partial(path);
  {
    std::ofstream out(partial.path());
    if (!out) throw OutputError("cannot create " + partial.path());
    write_row(out, table.header);
    for (const std::vector<std::string>& row : table.rows) write_row(out, row);
    out.flush();
    if (!out) throw OutputError("cannot write " + path + " (is the disk full?)");
  }
  partial.commit(force);
}

}  // namespace morsim
