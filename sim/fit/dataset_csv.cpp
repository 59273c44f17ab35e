// CSV splitting, the units row and the conversion of every cell to the dataset's units.
#include "fit/dataset_csv.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "config/toml_reader.hpp"
#include "model/errors.hpp"
#include "units/units.hpp"

namespace morsim::fit {

namespace {

std::string trim(const std::string& s) {
  const std::size_t a = s.find_first_not_of(" \t\r");
  if (a == std::string::npos) return "";
  const std::size_t b = s.find_last_not_of(" \t\r");
  return s.substr(a, b - a + 1);
}

[[noreturn]] void fail(const std::string& path, int line, const std::string& key,
                       const std::string& problem) {
  throw ConfigError(path, line, key, problem);
}

// Cells of one line: commas separate, a cell may be quoted ("a, b"; "" is a quote).
std::vector<std::string> split(const std::string& line, const std::string& path, int n) {
  std::vector<std::string> out;
  std::string cell;
  bool quoted = false, was_quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        cell += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        cell += c;
      }
    } else if (c == '"' && trim(cell).empty()) {
      quoted = was_quoted = true;
      cell.clear();
    } else if (c == ',') {
      out.push_back(was_quoted ? cell : trim(cell));
      cell.clear();
      was_quoted = false;
    } else {
      cell += c;
    }
  }
  if (quoted) fail(path, n, "(row)", "a quoted cell is not closed (allowed: \"text\")");
  out.push_back(was_quoted ? cell : trim(cell));
  return out;
}

bool blank(const std::string& line) { return trim(line).empty(); }
bool comment(const std::string& line) {
  const std::string t = trim(line);
  return !t.empty() && t[0] == '#';
}

// A number cell; fails naming the column.
double number(const std::string& cell, const std::string& path, int line,
              const std::string& column) {
  double v = 0.0;
  const char* end = cell.data() + cell.size();
  const auto [ptr, ec] = std::from_chars(cell.data(), end, v);
  if (cell.empty() || ec != std::errc() || ptr != end || !std::isfinite(v))
    fail(path, line, column, "expected a number, got '" + cell + "'");
  return v;
}

// The factor of `unit` in `e`'s internal unit ("1 <unit>" through the units parser).
double scale_of(const std::string& unit, const ExpectedDimension& e) {
  return parse_quantity("1 " + unit, e);
}

const ExpectedDimension& molar_concentration_time() {
  static const ExpectedDimension d("concentration x time", "nM*h", "nM*h, uM*h, nmol*h/L");
  return d;
}
const ExpectedDimension& mass_concentration() {
  static const ExpectedDimension d("mass concentration", "ng/mL", "ng/mL, ug/L, mg/L");
  return d;
}
const ExpectedDimension& mass_concentration_time() {
  static const ExpectedDimension d("mass concentration x time", "ng*h/mL", "ng*h/mL, ug*h/L");
  return d;
}
const ExpectedDimension& fraction_time() {
  static const ExpectedDimension d("time (a fraction x time)", "h", "h, d, %*h");
  return d;
}
const ExpectedDimension& fraction() {
  static const ExpectedDimension d("a fraction", "", "1, %, or an empty cell");
  return d;
}

// Plasma: a molar concentration, or a mass one through the molar mass (ng/mL = 1e3/MW nM).
double plasma_scale(const std::string& unit, const ExpectedDimension& molar,
                    const ExpectedDimension& mass, double molar_mass) {
  try {
    return scale_of(unit, molar);
  } catch (const UnitError&) {
  }
  try {
    return scale_of(unit, mass) * 1e3 / molar_mass;
  } catch (const UnitError&) {
  }
  std::string what = "dimensionless";
  if (!unit.empty()) {
    try {
      what = ExpectedDimension("", unit, "").dimension().to_string();
    } catch (const UnitError& e) {
      throw UnitError(std::string(e.what()) + " (allowed: " + molar.examples() + ", " +
                      mass.examples() + ")");
    }
  }
  throw UnitError("unit '" + unit + "' is " + what + ", not " + molar.name() + " or " +
                  mass.name() + " (allowed: " + molar.examples() + ", " + mass.examples() + ")");
}

}  // namespace

int CsvTable::column(const std::string& name) const {
  for (std::size_t i = 0; i < columns.size(); ++i)
    if (columns[i] == name) return static_cast<int>(i);
  return -1;
}

const std::vector<std::string>& csv_columns() {
  static const std::vector<std::string> c{"time", "group", "value", "sd", "sem", "n"};
  return c;
}

CsvTable read_csv(const std::string& path) {
  return read_csv(path, CsvLayout{csv_columns(), true, false});
}

CsvTable read_csv(const std::string& path, const CsvLayout& layout) {
  const std::vector<std::string>& known = layout.columns;
  std::ifstream in(path, std::ios::binary);
  if (!in)
    fail(path, 0, "(file)", std::filesystem::exists(path) ? "cannot be read" : "no such file");
  CsvTable t;
  t.path = path;
  std::string line;
  int n = 0;
  while (std::getline(in, line)) {
    ++n;
    if (n == 1 && line.size() >= 3 && line.compare(0, 3, "\xEF\xBB\xBF") == 0)
      line.erase(0, 3);  // a UTF-8 byte order mark, as spreadsheets write
    if (blank(line) || comment(line)) continue;
    std::vector<std::string> cells = split(line, path, n);
    if (t.header_line == 0) {
      t.header_line = n;
      for (const std::string& c : cells) {
        if (c.empty())
          fail(path, n, "(header)", "an empty column name (allowed: " + config::join(known) + ")");
        if (!layout.other_columns && std::find(known.begin(), known.end(), c) == known.end())
          fail(path, n, c,
               "unknown column '" + c + "'" + config::did_you_mean(c, known) +
                   " (allowed: " + config::join(known) + ")");
        if (std::find(t.columns.begin(), t.columns.end(), c) != t.columns.end())
          fail(path, n, c, "column '" + c + "' appears twice");
        t.columns.push_back(c);
      }
      continue;
    }
    if (cells.size() > t.columns.size()) {
      const bool extra_empty =
          std::all_of(cells.begin() + static_cast<long>(t.columns.size()), cells.end(),
                      [](const std::string& c) { return c.empty(); });
      if (!extra_empty)
        fail(path, n, "(row)",
             std::to_string(cells.size()) + " cells, but the header names " +
                 std::to_string(t.columns.size()) + " columns (" + config::join(t.columns) + ")");
    }
    cells.resize(t.columns.size());
    if (layout.units_line && t.units_line == 0) {
      t.units_line = n;
      t.units = cells;
      continue;
    }
    t.rows.push_back({n, cells});
  }
  if (t.header_line == 0)
    fail(path, n, "(header)",
         "no header line (required: a line naming the columns, e.g. " +
             config::join({known.begin(), known.begin() + std::min<std::size_t>(3, known.size())},
                          ",") +
             ")");
  if (layout.units_line && t.units_line == 0)
    fail(path, n, "(units)",
         "no units line (required: the line after the header gives each column's unit, e.g. "
         "h,ng/mL,ng/mL)");
  return t;
}

std::string internal_unit(Quantity q, Statistic s) {
  switch (s) {
    case Statistic::kRelative:
    case Statistic::kAucRatio:
      return "1";
    case Statistic::kTimeOfPeak:
    case Statistic::kRiseToHalfPeak:
    case Statistic::kFallToHalfPeak:
    case Statistic::kHalfLife:
      return "h";
    case Statistic::kAuc:
      return q == Quantity::kPlasma ? "nM*h" : "h";
    case Statistic::kValue:
    case Statistic::kPeak:
      break;
  }
  return q == Quantity::kPlasma ? "nM" : "1";
}

double value_unit_scale(const std::string& unit, Quantity q, Statistic s, double molar_mass) {
  switch (s) {
    case Statistic::kRelative:
    case Statistic::kAucRatio:
      return scale_of(unit, fraction());
    case Statistic::kTimeOfPeak:
    case Statistic::kRiseToHalfPeak:
    case Statistic::kFallToHalfPeak:
    case Statistic::kHalfLife:
      return scale_of(unit, dim::time());
    case Statistic::kAuc:
      if (q == Quantity::kPlasma)
        return plasma_scale(unit, molar_concentration_time(), mass_concentration_time(),
                            molar_mass);
      return scale_of(unit, fraction_time());
    case Statistic::kValue:
    case Statistic::kPeak:
      break;
  }
  if (q == Quantity::kPlasma)
    return plasma_scale(unit, dim::concentration(), mass_concentration(), molar_mass);
  return scale_of(unit, fraction());
}

CsvData read_observations(const CsvTable& t, const CsvRules& r) {
  CsvData out;
  const int c_time = t.column("time"), c_group = t.column("group"), c_value = t.column("value"),
            c_sd = t.column("sd"), c_sem = t.column("sem"), c_n = t.column("n");
  const std::string& path = t.path;
  out.has_group = c_group >= 0;
  if (c_value < 0)
    fail(path, t.header_line, "value",
         "missing column (required: value; allowed: " + config::join(csv_columns()) + ")");
  const bool timed = needs_row_time(r.statistic);
  if (timed && c_time < 0)
    fail(path, t.header_line, "time",
         std::string("missing column (required for statistic '") + to_string(r.statistic) +
             "': time)");

  // The units row.
  const auto unit_of = [&](int c) { return t.units[static_cast<std::size_t>(c)]; };
  const std::string vu = unit_of(c_value);
  try {
    out.value_scale = value_unit_scale(vu, r.quantity, r.statistic, r.molar_mass);
  } catch (const UnitError& e) {
    fail(path, t.units_line, "value",
         std::string("unit of the ") + to_string(r.quantity) + " " + to_string(r.statistic) + ": " +
             e.what());
  }
  out.value_unit = vu.empty() ? "1" : vu;
  double time_scale = 1.0;
  if (c_time >= 0 && timed) {
    try {
      time_scale = scale_of(unit_of(c_time), dim::time());
    } catch (const UnitError& e) {
      fail(path, t.units_line, "time", e.what());
    }
  }
  double sd_scale = 1.0, sem_scale = 1.0;  // to the value's unit
  for (auto [c, scale] : {std::pair<int, double*>{c_sd, &sd_scale}, {c_sem, &sem_scale}}) {
    if (c < 0) continue;
    try {
      *scale =
          value_unit_scale(unit_of(c), r.quantity, r.statistic, r.molar_mass) / out.value_scale;
    } catch (const UnitError& e) {
      fail(path, t.units_line, t.columns[static_cast<std::size_t>(c)],
           std::string(e.what()) + "; it must match the value's unit '" + out.value_unit + "'");
    }
  }
  for (int c : {c_group, c_n})
    if (c >= 0 && !unit_of(c).empty() && !(c == c_n && unit_of(c) == "1"))
      fail(path, t.units_line, t.columns[static_cast<std::size_t>(c)],
           "has no unit (allowed: an empty cell)");

  for (const CsvTable::Row& row : t.rows) {
    const auto cell = [&](int c) {
      return c < 0 ? std::string() : row.cells[static_cast<std::size_t>(c)];
    };
    Observation o;
    o.line = row.line;
    // Arm.
    o.group = cell(c_group);
    if (!o.group.empty()) {
      const auto it = std::find(r.arms.begin(), r.arms.end(), o.group);
      if (it == r.arms.end())
        fail(path, row.line, "group",
             "no arm '" + o.group + "' in the scenario of dataset '" + r.dataset + "'" +
                 config::did_you_mean(o.group, r.arms) + " (allowed: " + config::join(r.arms) +
                 ")");
      o.arm = static_cast<std::size_t>(it - r.arms.begin());
    } else if (r.arm) {
      o.arm = *r.arm;
    } else if (r.arms.size() == 1) {
      o.arm = 0;
    } else {
      fail(path, row.line, "group",
           "empty, and dataset '" + r.dataset + "' names no arm (allowed: " + config::join(r.arms) +
               ")");
    }
    // Time.
    const std::string tc = cell(c_time);
    if (timed) {
      if (tc.empty())
        fail(path, row.line, "time",
             std::string("empty (required for statistic '") + to_string(r.statistic) + "')");
      o.time_h = number(tc, path, row.line, "time") * time_scale;
      if (o.time_h < r.t_start_h - 1e-9 || o.time_h > r.t_end_h + 1e-9)
        fail(path, row.line, "time",
             tc + " " + unit_of(c_time) + " is outside the scenario's output range (allowed: " +
                 format_number(r.t_start_h) + " h to " + format_number(r.t_end_h) + " h)");
    } else if (!tc.empty()) {
      fail(path, row.line, "time",
           std::string("statistic '") + to_string(r.statistic) +
               "' summarises the window and takes no row time (allowed: an empty cell)");
    }
    // Value.
    const std::string vc = cell(c_value);
    if (vc.empty()) fail(path, row.line, "value", "empty (required: a number)");
    o.value = number(vc, path, row.line, "value");
    if (r.log && !(o.value > 0))
      fail(path, row.line, "value",
           "got " + vc + " (allowed: a value > 0, as dataset '" + r.dataset + "' has log = true)");
    // Uncertainty: sem, else sd / sqrt(n).
    o.sigma = kNaN;
    double n = 1.0;
    if (!cell(c_n).empty()) {
      n = number(cell(c_n), path, row.line, "n");
      if (!(n >= 1) || n != std::floor(n))
        fail(path, row.line, "n", "got " + cell(c_n) + " (allowed: an integer >= 1)");
    }
    for (auto [c, scale] : {std::pair<int, double>{c_sd, sd_scale}, {c_sem, sem_scale}}) {
      const std::string s = cell(c);
      if (s.empty()) continue;
      const double v = number(s, path, row.line, t.columns[static_cast<std::size_t>(c)]);
      if (!(v > 0))
        fail(path, row.line, t.columns[static_cast<std::size_t>(c)],
             "got " + s + " (allowed: a number > 0, or an empty cell)");
      if (c == c_sem)
        o.sigma = v * scale;  // sem wins over sd
      else if (std::isnan(o.sigma))
        o.sigma = v * scale / std::sqrt(n);
    }
    out.rows.push_back(o);
  }
  return out;
}

}  // namespace morsim::fit
