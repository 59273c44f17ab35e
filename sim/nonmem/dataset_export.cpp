// Dose records to NONMEM rows, one row per dose taken, checked against the event log.
#include "nonmem/dataset_export.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

#include "model/errors.hpp"

namespace morsim::nonmem {
namespace {

struct Row {
  double time_h = 0.0;
  int evid = 1;
  double amt_mg = 0.0;
  int cmt = 0;
  double rate_mg_per_h = 0.0;
  double ii_h = 0.0;
  int ss = 0;
  std::string formulation;  // for the check against the log; "" for EVID 0 and 3
};

bool contains(const std::vector<int>& v, int x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

// The rows of one arm's dose records, by time; records keep their order at one time.
std::vector<Row> dose_rows(const Arm& arm, const std::map<std::string, int>& cmt) {
  std::vector<Row> rows;
  for (std::size_t ri = 0; ri < arm.doses.size(); ++ri) {
    const DoseRecord& r = arm.doses[ri];
    const std::string where = "arm '" + arm.name + "' dose record " + std::to_string(ri + 1);
    if (r.formulation.empty()) {
      Row x;
      x.time_h = r.time_h;
      x.evid = 3;
      rows.push_back(x);
      continue;
    }
    Row base;
    base.cmt = cmt.at(r.formulation);
    base.formulation = r.formulation;
    const int ss = r.steady_state ? (r.steady_state_add ? 2 : 1) : 0;
    if (r.rate_mg_per_h > 0.0) {  // a constant infusion: AMT 0, RATE, SS
      Row x = base;
      x.time_h = r.time_h;
      x.evid = r.reset ? 4 : 1;
      x.rate_mg_per_h = r.rate_mg_per_h;
      x.ss = ss;
      rows.push_back(x);
      continue;
    }
    if (r.duration_h == 0.0)
      throw ModelError(where + ": duration 0 (a forced bolus) has no NONMEM RATE");
    if (ss > 0 && (contains(r.missed, 0) ||
                   std::any_of(r.delays.begin(), r.delays.end(), [](const DoseDelay& d) {
                     return d.index == 0 && d.delay_h != 0.0;
                   })))
      throw ModelError(where +
                       ": the first dose of a steady-state record is missed or late, "
                       "which NONMEM's SS cannot express");
    for (int i = 0; i <= r.addl; ++i) {
      if (contains(r.missed, i)) continue;
      Row x = base;
      x.time_h = r.time_h + i * r.ii_h;
      for (const DoseDelay& d : r.delays)
        if (d.index == i) x.time_h += d.delay_h;
      x.amt_mg = r.amount_mg;
      if (r.duration_h > 0.0) x.rate_mg_per_h = r.amount_mg / r.duration_h;  // RATE = AMT / D
      if (i == 0) {
        x.evid = r.reset ? 4 : 1;
        x.ss = ss;
        if (ss > 0) x.ii_h = r.ii_h;
      }
      rows.push_back(x);
    }
    if (r.reset && contains(r.missed, 0)) {  // the reset happens, its dose does not
      Row x;
      x.time_h = r.time_h;
      x.evid = 3;
      rows.push_back(x);
    }
  }
  std::stable_sort(rows.begin(), rows.end(),
                   [](const Row& a, const Row& b) { return a.time_h < b.time_h; });
  return rows;
}

// Every dose taken in the event log is one of the rows, at the same time, of the same amount.
void check_against_log(const Trajectory& tr, const std::vector<Row>& rows) {
  std::vector<const Row*> doses;
  for (const Row& r : rows)
    if (!r.formulation.empty()) doses.push_back(&r);
  std::vector<const DoseLogEntry*> taken;
  for (const DoseLogEntry& e : tr.doses)
    if (e.status != DoseStatus::kMissed) taken.push_back(&e);
  const auto mismatch = [&](const std::string& what) {
    throw InputFileError("arm '" + tr.arm + "': the event log does not match the stored " +
                         "scenario's dose records (" + what + ")");
  };
  if (doses.size() != taken.size())
    mismatch(std::to_string(taken.size()) + " doses taken, " + std::to_string(doses.size()) +
             " in the records");
  for (std::size_t i = 0; i < doses.size(); ++i) {
    const Row& r = *doses[i];
    const DoseLogEntry& e = *taken[i];
    const double tol = 1e-9 * (1.0 + std::abs(e.applied_time_h));
    if (std::abs(r.time_h - e.applied_time_h) > tol || r.formulation != e.formulation ||
        std::abs(r.amt_mg - e.amount_mg) > 1e-12 * (1.0 + e.amount_mg))
      mismatch("dose " + std::to_string(i + 1) + " at " + exact_number(e.applied_time_h) + " h");
  }
}

std::string cell(double x) { return exact_number(x); }

}  // namespace

std::string exact_number(double x) {
  char b[40];
  std::snprintf(b, sizeof b, "%.17g", x);
  // The shortest of %.15g .. %.17g that reads back as x, for readable files.
  for (int p = 15; p <= 17; ++p) {
    std::snprintf(b, sizeof b, "%.*g", p, x);
    if (std::strtod(b, nullptr) == x) break;
  }
  return b;
}

DatasetExport export_dataset(const ScenarioSpec& spec, const std::vector<Trajectory>& arms,
                             const std::string& source) {
  std::map<std::string, int> cmt;
  std::vector<std::string> cmt_order;
  for (const Formulation& f : spec.formulations)
    for (const Arm& a : spec.arms)
      for (const DoseRecord& d : a.doses)
        if (d.formulation == f.name && !cmt.count(f.name)) {
          cmt[f.name] = static_cast<int>(cmt.size()) + 1;
          cmt_order.push_back(f.name);
        }
  DatasetExport out;
  out.dataset.header = {"ID", "TIME", "EVID", "AMT", "CMT", "RATE",
                        "II", "ADDL", "SS",   "MDV", "DV"};
  std::string ids;
  for (std::size_t k = 0; k < arms.size(); ++k) {
    const Trajectory& tr = arms[k];
    const Arm* arm = nullptr;
    for (const Arm& a : spec.arms)
      if (a.name == tr.arm) arm = &a;
    if (!arm)
      throw InputFileError("arm '" + tr.arm + "' is not an arm of the stored scenario (a run " +
                           "from a dataset keeps its dataset: use that instead)");
    std::vector<Row> rows = dose_rows(*arm, cmt);
    check_against_log(tr, rows);
    for (double t : tr.t_h) {
      Row x;
      x.time_h = t;
      x.evid = 0;
      rows.push_back(x);
    }
    std::stable_sort(rows.begin(), rows.end(),
                     [](const Row& a, const Row& b) { return a.time_h < b.time_h; });
    const std::string id = std::to_string(k + 1);
    for (const Row& r : rows)
      out.dataset.rows.push_back({id, cell(r.time_h), std::to_string(r.evid), cell(r.amt_mg),
                                  r.evid == 0 || r.evid == 3 ? "." : std::to_string(r.cmt),
                                  cell(r.rate_mg_per_h), cell(r.ii_h), "0", std::to_string(r.ss),
                                  r.evid == 0 ? "0" : "1", "."});
    ids += id + " = \"" + tr.arm + "\"\n";
  }
  std::string m = "# The [dataset] table that reads dataset.csv (written by morsim export from " +
                  source + ").\n# Add it to the scenario and run: morsim run SCENARIO.toml " +
                  "--dataset dataset.csv\n[dataset]\ntime_unit = \"h\"\namount_unit = \"mg\"\n" +
                  "\n[dataset.cmt]\n";
  for (const std::string& f : cmt_order) m += std::to_string(cmt.at(f)) + " = \"" + f + "\"\n";
  m += "\n[dataset.id]\n" + ids;
  out.mapping_toml = m;
  return out;
}

}  // namespace morsim::nonmem
