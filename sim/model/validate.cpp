// Semantic checks of a ScenarioSpec that need no file positions, and the small helpers of the
// model structs. The config loader reports the same problems with file:line first; this is the
// safety net for specs built in code (sweeps, tests).
#include <cmath>
#include <functional>
#include <map>
#include <set>
#include <sstream>

#include "model/compound.hpp"
#include "model/dosing.hpp"
#include "model/errors.hpp"
#include "model/scenario.hpp"

namespace morsim {
namespace {

[[noreturn]] void fail(const std::string& where, const std::string& what) {
  throw ModelError(where + ": " + what);
}

std::string num(double v) {
  std::ostringstream os;
  os << v;
  return os.str();
}

// `!(v > 0)` also rejects NaN.
void positive(const std::string& where, double v) {
  if (!(v > 0.0) || !std::isfinite(v)) fail(where, "must be > 0, got " + num(v));
}
void non_negative(const std::string& where, double v) {
  if (!(v >= 0.0) || !std::isfinite(v)) fail(where, "must be >= 0, got " + num(v));
}
void unit_interval(const std::string& where, double v) {
  if (!(v >= 0.0 && v <= 1.0)) fail(where, "must be in [0, 1], got " + num(v));
}

void check_compound(const ScenarioSpec& spec, const Compound& c) {
  const std::string p = "compound " + c.name;
  positive(p + ": molar mass", c.molar_mass_g_per_mol);
  positive(p + ": central volume", c.central_volume_L);
  positive(p + ": elimination rate", c.k_elim_per_h);
  for (const PeripheralCompartment& q : c.peripherals) {
    positive(p + ": peripheral k12", q.k_out_per_h);
    positive(p + ": peripheral k21", q.k_in_per_h);
  }
  double sum = 0.0;
  for (const MetaboliteLink& m : c.metabolites) {
    if (!spec.find_compound(m.metabolite)) fail(p, "unknown metabolite '" + m.metabolite + "'");
    if (m.metabolite == c.name) fail(p, "is its own metabolite");
    unit_interval(p + ": metabolite fraction to " + m.metabolite, m.fraction);
    sum += m.fraction;
  }
  if (sum > 1.0 + 1e-12) fail(p, "metabolite fractions sum to " + num(sum) + " > 1");
  non_negative(p + ": ke0", c.ke0_per_h);
  positive(p + ": brain partition", c.brain_partition);
  if (!c.binds_receptor) return;
  positive(p + ": ke0 (a compound that binds the receptor needs a brain link)", c.ke0_per_h);
  positive(p + ": kon", c.binding.kon_per_nM_n_per_h);
  positive(p + ": koff", c.binding.koff_per_h);
  positive(p + ": hill n", c.binding.hill_n);
  non_negative(p + ": tau", c.binding.tau);
}

// Depth-first search over parent -> metabolite edges; a grey node met again closes a loop.
void check_no_loops(const ScenarioSpec& spec) {
  std::map<std::string, int> state;  // 0 new, 1 on stack, 2 done
  std::vector<std::string> stack;
  std::function<void(const Compound&)> visit = [&](const Compound& c) {
    state[c.name] = 1;
    stack.push_back(c.name);
    for (const MetaboliteLink& m : c.metabolites) {
      const Compound* next = spec.find_compound(m.metabolite);
      if (!next) continue;
      if (state[next->name] == 1) {
        std::string chain;
        for (const std::string& s : stack) chain += s + " -> ";
        fail("compound " + c.name, "metabolite chain loops: " + chain + next->name);
      }
      if (state[next->name] == 0) visit(*next);
    }
    stack.pop_back();
    state[c.name] = 2;
  };
  for (const Compound& c : spec.compounds)
    if (state[c.name] == 0) visit(c);
}

void check_formulation(const ScenarioSpec& spec, const Formulation& f) {
  const std::string p = "formulation " + f.name;
  if (!spec.find_compound(f.compound)) fail(p, "unknown compound '" + f.compound + "'");
  non_negative(p + ": bioavailability", f.bioavailability);  // F multiplies the dose
  if (f.bioavailability > 1.0 && !f.first_pass.empty())
    fail(p, "bioavailability " + num(f.bioavailability) +
                " above 1 with first_pass, which takes (1 - F) of the dose");
  non_negative(p + ": dosed molar mass", f.dosed_molar_mass_g_per_mol);
  double fp_sum = 0.0;
  for (const FirstPassLink& l : f.first_pass) {
    if (!spec.find_compound(l.metabolite))
      fail(p, "unknown first-pass metabolite '" + l.metabolite + "'");
    unit_interval(p + ": first-pass fraction", l.fraction);
    fp_sum += l.fraction;
  }
  if (fp_sum > 1.0 + 1e-12) fail(p, "first-pass fractions sum to " + num(fp_sum) + " > 1");
  if (f.phases.empty()) fail(p, "has no absorption phase");
  double sum = 0.0;
  for (const AbsorptionPhase& ph : f.phases) {
    const std::string pp = p + ": phase " + ph.name;
    unit_interval(pp + ": fraction", ph.fraction);
    non_negative(pp + ": lag", ph.lag_h);
    non_negative(pp + ": duration", ph.duration_h);
    for (double k : ph.transit_rates_per_h) positive(pp + ": transit rate", k);
    sum += ph.fraction;
  }
  constexpr double kSumTol = 1e-9;  // fractions typed as decimals, e.g. 0.05 + 0.25 + 0.7
  if (std::fabs(sum - 1.0) > kSumTol) fail(p, "phase fractions sum to " + num(sum) + ", not 1");
}

void check_dose(const ScenarioSpec& spec, const std::string& p, const DoseRecord& d) {
  non_negative(p + ": time", d.time_h);
  if (d.formulation.empty() && d.reset) {  // EVID 3: a reset alone
    if (d.time_h > spec.grid.t_end_h)
      fail(p, "reset at " + num(d.time_h) + " h is after the end of the simulation");
    return;
  }
  if (!spec.find_formulation(d.formulation)) fail(p, "unknown formulation '" + d.formulation + "'");
  if (d.steady_state_add && !d.steady_state) fail(p, "steady_state_add needs steady_state");
  if (d.rate_mg_per_h != 0.0) {  // SS 1, AMT 0, RATE > 0: a constant infusion
    positive(p + ": rate", d.rate_mg_per_h);
    if (!d.steady_state) fail(p, "a constant infusion (rate without amount) needs steady_state");
    if (d.amount_mg != 0.0 || d.addl != 0)
      fail(p, "a constant infusion takes no amount and no addl");
    if (d.time_h > spec.grid.t_end_h)
      fail(p, "infusion at " + num(d.time_h) + " h starts after the end of the simulation");
    return;
  }
  positive(p + ": amount", d.amount_mg);
  if (d.addl < 0) fail(p, "addl must be >= 0");
  if (d.addl > 0 || d.steady_state) positive(p + ": interval", d.ii_h);
  if (!std::isfinite(d.duration_h)) fail(p, "duration must be finite");
  const double last_h = d.time_h + d.addl * d.ii_h;
  if (last_h > spec.grid.t_end_h)
    fail(p, "dose at " + num(last_h) + " h is after the end of the simulation (" +
                num(spec.grid.t_end_h) + " h)");
  for (int i : d.missed)
    if (i < 0 || i > d.addl) fail(p, "missed index " + std::to_string(i) + " out of range");
  for (const DoseDelay& l : d.delays) {
    if (l.index < 0 || l.index > d.addl)
      fail(p, "late index " + std::to_string(l.index) + " out of range");
    non_negative(p + ": delay", l.delay_h);
  }
}

template <class T>
void check_unique(const std::vector<T>& items, const char* what) {
  std::set<std::string> seen;
  for (const T& x : items) {
    if (x.name.empty()) fail(what, "has an empty name");
    if (!seen.insert(x.name).second) fail(std::string(what) + " " + x.name, "defined twice");
  }
}

}  // namespace

const char* to_string(DoseStatus s) {
  switch (s) {
    case DoseStatus::kTaken:
      return "taken";
    case DoseStatus::kLate:
      return "late";
    case DoseStatus::kMissed:
      return "missed";
  }
  return "unknown";
}

std::vector<double> OutputGrid::times_h() const {
  std::vector<double> t;
  if (!(dt_h > 0.0) || !(t_end_h >= t_start_h)) return t;
  const double steps = (t_end_h - t_start_h) / dt_h;
  const double n = std::floor(steps + 1e-9);  // t_end counts when within 1e-9 of the grid
  t.reserve(static_cast<std::size_t>(n) + 1);
  for (long i = 0; i <= static_cast<long>(n); ++i)
    t.push_back(t_start_h + static_cast<double>(i) * dt_h);
  if (std::fabs(steps - n) <= 1e-9) t.back() = t_end_h;  // avoid 719.9999999 for 720
  return t;
}

const Compound* ScenarioSpec::find_compound(const std::string& n) const {
  for (const Compound& c : compounds)
    if (c.name == n) return &c;
  return nullptr;
}

const Formulation* ScenarioSpec::find_formulation(const std::string& n) const {
  for (const Formulation& f : formulations)
    if (f.name == n) return &f;
  return nullptr;
}

void validate(const ScenarioSpec& spec, bool arms_required) {
  check_unique(spec.compounds, "compound");
  check_unique(spec.formulations, "formulation");
  check_unique(spec.arms, "arm");
  for (const Compound& c : spec.compounds) check_compound(spec, c);
  check_no_loops(spec);
  for (const Formulation& f : spec.formulations) check_formulation(spec, f);
  positive("receptor: transducer slope", spec.receptor.transducer_slope);
  const OutputGrid& g = spec.grid;
  non_negative("output: start", g.t_start_h);
  if (!(g.t_end_h > g.t_start_h) || !std::isfinite(g.t_end_h))
    fail("output: end", "must be after start, got " + num(g.t_end_h));
  positive("output: step", g.dt_h);
  positive("solver: rtol", spec.solver.rtol);
  positive("solver: atol", spec.solver.atol);
  non_negative("solver: atol_occupancy", spec.solver.atol_occupancy);
  if (spec.solver.atol_occupancy >= 1.0)
    fail("solver: atol_occupancy",
         "must be below 1 (a fraction of receptors), got " + num(spec.solver.atol_occupancy));
  if (spec.solver.atol_occupancy > 0.0 && spec.solver.method == SolverMethod::kDopri5)
    fail("solver: atol_occupancy", "needs the rosenbrock4 method (dopri5 has one atol)");
  non_negative("solver: max_step", spec.solver.max_step_h);
  if (arms_required && spec.arms.empty()) fail("scenario", "has no arm");
  for (const Arm& a : spec.arms)
    for (std::size_t i = 0; i < a.doses.size(); ++i)
      check_dose(spec, "arm " + a.name + ": dose " + std::to_string(i + 1), a.doses[i]);
}

}  // namespace morsim
