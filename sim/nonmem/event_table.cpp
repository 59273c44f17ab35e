// Reading the event table through the fit's CSV splitter, then checking each cell.
#include "nonmem/event_table.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdio>

#include "fit/dataset_csv.hpp"
#include "model/errors.hpp"

namespace morsim::nonmem {
namespace {

[[noreturn]] void fail(const std::string& path, int line, const std::string& column,
                       const std::string& problem) {
  throw ConfigError(path, line, column, problem);
}

std::string upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

bool missing(const std::string& cell) { return cell.empty() || cell == "."; }

class RowReader {
 public:
  RowReader(const fit::CsvTable& t, const fit::CsvTable::Row& r) : t_(t), r_(r) {}

  bool has(const char* column) const {
    const int i = t_.column(column);
    return i >= 0 && !missing(r_.cells[static_cast<std::size_t>(i)]);
  }

  // A number; `fallback` when the column is absent or the cell is "." (unless required).
  double number(const char* column, double fallback, bool required = false) const {
    const int i = t_.column(column);
    if (i < 0 || missing(r_.cells[static_cast<std::size_t>(i)])) {
      if (required) fail(t_.path, r_.line, column, "missing value (required: a number)");
      return fallback;
    }
    const std::string& cell = r_.cells[static_cast<std::size_t>(i)];
    double v = 0.0;
    const char* end = cell.data() + cell.size();
    const auto [ptr, ec] = std::from_chars(cell.data(), end, v);
    if (ec != std::errc() || ptr != end || !std::isfinite(v))
      fail(t_.path, r_.line, column,
           "expected a number, got '" + cell + "' (allowed: a number or .)");
    return v;
  }

  double at_least(const char* column, double lo, double fallback = 0.0) const {
    const double v = number(column, fallback);
    if (!(v >= lo))
      fail(t_.path, r_.line, column,
           "got " + cell(column) + " (allowed: a number >= " + format(lo) + ")");
    return v;
  }

  long integer(const char* column, const std::vector<long>& allowed, long fallback,
               bool required = false) const {
    const double v = number(column, static_cast<double>(fallback), required);
    const bool in_range = std::abs(v) <= 1e9;  // before the cast, which is undefined beyond
    const long n = in_range ? static_cast<long>(v) : 0;
    const bool whole = in_range && static_cast<double>(n) == v;
    if (!whole ||
        (!allowed.empty() && std::find(allowed.begin(), allowed.end(), n) == allowed.end())) {
      std::string list;
      for (long a : allowed) list += (list.empty() ? "" : ", ") + std::to_string(a);
      fail(t_.path, r_.line, column,
           "got " + cell(column) + " (allowed: " + (allowed.empty() ? "a whole number" : list) +
               ")");
    }
    return n;
  }

  std::string cell(const char* column) const {
    const int i = t_.column(column);
    return i < 0 ? "" : r_.cells[static_cast<std::size_t>(i)];
  }

  int line() const { return r_.line; }

 private:
  static std::string format(double x) {
    char b[32];
    std::snprintf(b, sizeof b, "%g", x);
    return b;
  }
  const fit::CsvTable& t_;
  const fit::CsvTable::Row& r_;
};

}  // namespace

const std::vector<std::string>& event_columns() {
  static const std::vector<std::string> c{"ID",   "TIME", "EVID", "AMT", "CMT", "RATE", "II",
                                          "ADDL", "SS",   "F",    "LAG", "DV",  "MDV"};
  return c;
}

const std::vector<std::string>& required_event_columns() {
  static const std::vector<std::string> c{"ID", "TIME", "EVID", "AMT", "CMT"};
  return c;
}

EventTable read_event_table(const std::string& path) {
  const fit::CsvTable t = fit::read_csv(path, fit::CsvLayout{event_columns(), false, true});
  EventTable out;
  out.path = path;
  for (const std::string& c : required_event_columns()) {
    if (t.column(c) >= 0) continue;
    std::string hint;
    for (const std::string& have : t.columns)
      if (upper(have) == c) hint = " (found '" + have + "': column names are upper case)";
    fail(path, t.header_line, c,
         "missing column" + hint +
             " (required: ID, TIME, EVID, AMT, CMT; optional: RATE, II, "
             "ADDL, SS, F, LAG)");
  }
  for (const std::string& c : t.columns)
    if (std::find(event_columns().begin(), event_columns().end(), c) == event_columns().end())
      out.ignored_columns.push_back(c);
  out.has_f = t.column("F") >= 0;
  out.has_lag = t.column("LAG") >= 0;
  for (const fit::CsvTable::Row& r : t.rows) {
    const RowReader c(t, r);
    EventRow e;
    e.line = r.line;
    e.id = c.cell("ID");
    if (missing(e.id)) fail(path, r.line, "ID", "missing value (required: the subject's ID)");
    e.time = c.number("TIME", 0.0, true);
    if (!(e.time >= 0.0))
      fail(path, r.line, "TIME", "got " + c.cell("TIME") + " (allowed: a number >= 0)");
    e.evid = static_cast<int>(c.integer("EVID", {0, 1, 2, 3, 4}, 0, true));
    e.amt = c.at_least("AMT", 0.0);
    e.cmt = static_cast<int>(c.integer("CMT", {}, 0));
    if (e.cmt < 0)
      fail(path, r.line, "CMT",
           "got " + c.cell("CMT") +
               " (allowed: a compartment number > 0; turning compartments off is not supported)");
    e.rate = c.number("RATE", 0.0);
    if (e.rate < 0.0 && e.rate != -2.0)
      fail(path, r.line, "RATE",
           "got " + c.cell("RATE") +
               " (allowed: 0, a rate > 0, or -2 for the formulation's own input duration; "
               "RATE = -1, a modelled rate, is not supported)");
    e.ii = c.at_least("II", 0.0);
    e.addl = c.integer("ADDL", {}, 0);
    if (e.addl < 0) fail(path, r.line, "ADDL", "got " + c.cell("ADDL") + " (allowed: 0 or more)");
    e.ss = static_cast<int>(c.integer("SS", {0, 1, 2}, 0));
    if (c.has("F")) e.f = c.at_least("F", 0.0);
    if (c.has("LAG")) e.lag = c.at_least("LAG", 0.0);
    out.rows.push_back(e);
  }
  if (out.rows.empty())
    fail(path, t.header_line, "(rows)", "no records (required: at least one row after the header)");
  return out;
}

}  // namespace morsim::nonmem
