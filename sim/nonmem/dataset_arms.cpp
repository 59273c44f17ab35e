// NONMEM records to dose records. NONMEM help, "EVID", "SS", "RATE", "ADDL", "F", "ALAG".
#include "nonmem/dataset_arms.hpp"

#include <algorithm>
#include <cstdio>
#include <map>

#include "model/errors.hpp"

namespace morsim::nonmem {
namespace {

constexpr long kMaxAddl = 1'000'000;  // as for a scenario's dose records

std::string num(double x) {
  char b[32];
  std::snprintf(b, sizeof b, "%.10g", x);
  return b;
}

class Builder {
 public:
  Builder(ScenarioSpec& spec, const DatasetMapping& m, const EventTable& t,
          std::vector<std::string>& notes)
      : spec_(spec), m_(m), t_(t), notes_(notes) {}

  void run() {
    for (const auto& [n, c] : m_.cmt)
      if (!spec_.find_formulation(c.formulation)) {
        std::string names;
        for (const Formulation& f : spec_.formulations)
          names += (names.empty() ? "" : ", ") + f.name;
        throw ConfigError(m_.file, c.line, "dataset.cmt." + std::to_string(n),
                          "unknown formulation '" + c.formulation + "' (defined: " + names + ")");
      }
    std::vector<Arm> arms;
    std::map<std::string, std::size_t> index;
    std::string last_id;
    std::vector<double> last_time;
    for (const EventRow& r : t_.rows) {
      auto it = index.find(r.id);
      if (it == index.end()) {
        it = index.emplace(r.id, arms.size()).first;
        Arm a;
        const auto named = m_.arm_names.find(r.id);
        a.name = named != m_.arm_names.end() ? named->second : "id" + r.id;
        if (a.name.find('/') != std::string::npos || a.name == "." || a.name == "..")
          fail(r, "ID", "'" + a.name + "' cannot name an arm (allowed: text without '/')");
        for (const Arm& other : arms)
          if (other.name == a.name) fail(r, "ID", "arm name '" + a.name + "' used twice");
        arms.push_back(a);
        last_time.push_back(0.0);
      } else if (r.id != last_id) {
        fail(r, "ID",
             "ID " + r.id +
                 " appears again after other IDs (allowed: each ID's records "
                 "together, as NONMEM reads a new subject at each change of ID)");
      }
      last_id = r.id;
      const std::size_t ai = it->second;
      const double t_h = r.time * m_.hours_per_time_unit;
      if (t_h < last_time[ai])
        fail(r, "TIME",
             "time goes back within ID " + r.id +
                 " (allowed: non-decreasing TIME per ID; a restart of time is not supported)");
      last_time[ai] = t_h;
      if (t_h > spec_.grid.t_end_h)
        fail(r, "TIME",
             "TIME " + num(r.time) + " " + m_.time_unit +
                 " is after the end of the simulation (output.end = " + num(spec_.grid.t_end_h) +
                 " h)");
      add_record(arms[ai], r, t_h);
    }
    if (!spec_.arms.empty())
      notes_.push_back("the dataset's " + std::to_string(arms.size()) +
                       " ID(s) replace the "
                       "scenario's " +
                       std::to_string(spec_.arms.size()) + " arm(s)");
    spec_.arms = std::move(arms);
  }

 private:
  [[noreturn]] void fail(const EventRow& r, const std::string& column,
                         const std::string& problem) const {
    throw ConfigError(t_.path, r.line, column, problem);
  }

  void add_record(Arm& arm, const EventRow& r, double t_h) {
    if (r.evid == 0 || r.evid == 2) {
      if (r.amt > 0.0)
        fail(r, "AMT",
             "an EVID " + std::to_string(r.evid) +
                 " record takes no dose (allowed: AMT 0 or .; a dose is EVID 1)");
      if (t_h < spec_.grid.t_start_h)
        fail(r, "TIME",
             "the output time is before output.start (" + num(spec_.grid.t_start_h) + " h)");
      arm.observation_times_h.push_back(t_h);
      return;
    }
    DoseRecord d;
    d.time_h = t_h;
    d.reset = r.evid == 3 || r.evid == 4;
    if (r.evid == 3) {
      if (r.amt > 0.0)
        fail(r, "AMT",
             "an EVID 3 record (reset) takes no dose (allowed: AMT 0 or .; reset and "
             "dose is EVID 4)");
      arm.doses.push_back(d);
      return;
    }
    if (r.cmt == 0) fail(r, "CMT", "missing (required for a dose record: a CMT of [dataset.cmt])");
    const auto c = m_.cmt.find(r.cmt);
    if (c == m_.cmt.end()) {
      std::string known;
      for (const auto& [n, x] : m_.cmt) known += (known.empty() ? "" : ", ") + std::to_string(n);
      fail(r, "CMT",
           "unknown CMT " + std::to_string(r.cmt) + " (mapped in " + m_.file +
               " [dataset.cmt]: " + known + ")");
    }
    const double f = std::isnan(r.f) ? c->second.f : r.f;
    const double lag_h = std::isnan(r.lag) ? c->second.alag_h : r.lag * m_.hours_per_time_unit;
    if (f > 1.0)
      notes_.push_back(t_.path + ":" + std::to_string(r.line) + ": warning: F = " + num(f) +
                       " above 1 (a multiplier of AMT, as NONMEM applies it)");
    d.formulation = lagged(c->second.formulation, lag_h);
    d.steady_state = r.ss > 0;
    d.steady_state_add = r.ss == 2;
    const double rate_mg_per_h = r.rate * m_.mg_per_amount_unit / m_.hours_per_time_unit;
    if (r.amt == 0.0) {
      if (!(r.rate > 0.0) || r.ss == 0)
        fail(r, r.rate > 0.0 ? "SS" : "AMT",
             "a dose record needs AMT > 0, or RATE > 0 with SS 1 or 2 and AMT 0 (a constant "
             "infusion at steady state)");
      if (r.addl > 0 || r.ii > 0.0)
        fail(r, r.addl > 0 ? "ADDL" : "II",
             "a constant infusion (AMT 0, RATE > 0) runs until the end and takes no ADDL or II");
      if (f != 1.0)
        fail(r, std::isnan(r.f) ? "CMT" : "F",
             "F = " + num(f) + " on a constant infusion (AMT 0) is not supported (allowed: 1)");
      d.rate_mg_per_h = rate_mg_per_h;
      arm.doses.push_back(d);
      return;
    }
    d.amount_mg = r.amt * m_.mg_per_amount_unit * f;               // NONMEM: F scales AMT
    if (r.rate > 0.0) d.duration_h = d.amount_mg / rate_mg_per_h;  // D = F AMT / RATE
    if (r.addl > kMaxAddl)
      fail(r, "ADDL",
           "got " + std::to_string(r.addl) + " (allowed: 0 to " + std::to_string(kMaxAddl) + ")");
    d.addl = static_cast<int>(r.addl);
    d.ii_h = r.ii * m_.hours_per_time_unit;
    if ((d.addl > 0 || d.steady_state) && !(d.ii_h > 0.0))
      fail(r, "II", "missing (required: II > 0 with ADDL > 0 or SS 1 or 2)");
    const double last_h = t_h + d.addl * d.ii_h;
    if (last_h > spec_.grid.t_end_h)
      fail(r, "ADDL",
           "the last dose (" + num(last_h) +
               " h) is after the end of the simulation (output.end = " + num(spec_.grid.t_end_h) +
               " h)");
    if (d.amount_mg > 0.0) {
      arm.doses.push_back(d);
      return;
    }
    // F = 0: no dose, but a reset (EVID 4) or a steady state of nothing (SS 1) still clears.
    if (d.reset || (d.steady_state && !d.steady_state_add)) {
      DoseRecord reset;
      reset.time_h = t_h;
      reset.reset = true;
      arm.doses.push_back(reset);
    }
  }

  // The formulation itself, or a copy with `lag_h` added to every phase's lag.
  std::string lagged(const std::string& name, double lag_h) {
    if (!(lag_h > 0.0)) return name;
    const std::string copy = name + "@lag=" + num(lag_h) + "h";
    if (spec_.find_formulation(copy)) return copy;
    Formulation f = *spec_.find_formulation(name);
    f.name = copy;
    for (AbsorptionPhase& p : f.phases) p.lag_h += lag_h;
    spec_.formulations.push_back(f);
    return copy;
  }

  ScenarioSpec& spec_;
  const DatasetMapping& m_;
  const EventTable& t_;
  std::vector<std::string>& notes_;
};

}  // namespace

void apply_dataset(ScenarioSpec& spec, const DatasetMapping& mapping, const EventTable& table,
                   std::vector<std::string>& notes) {
  if (!table.ignored_columns.empty()) {
    std::string list;
    for (const std::string& c : table.ignored_columns) list += (list.empty() ? "" : ", ") + c;
    notes.push_back(table.path + ": note: column(s) " + list + " not used by morsim");
  }
  Builder(spec, mapping, table, notes).run();
}

}  // namespace morsim::nonmem
