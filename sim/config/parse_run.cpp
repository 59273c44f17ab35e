// What to run: [output] grid, [solver] options, and the arms with their dose records.
#include "config/schema.hpp"

namespace morsim::config {
namespace {

// Bounds beyond which a run gives nonsense or cannot be held in memory; checked at load so
// that `validate` reports them before any work.
constexpr double kMaxDoseMg = 1e6;         // a kilogram: any real dose is far below
constexpr long kMaxAddl = 1'000'000;       // repeated doses of one record
constexpr double kMaxGridSamples = 1e9;    // per arm: 8 GB for the time axis alone
constexpr double kMaxRefineSamples = 1e6;  // after each dose
constexpr double kMinRtol = 1e-14, kMaxRtol = 0.1;
constexpr double kMinAtol = 1e-20, kMaxAtol = 1e-2;
constexpr long kMaxSteps = 1'000'000'000;

void check_between(Context& ctx, const toml::node& n, const std::string& key, double x, double lo,
                   double hi) {
  if (!(x >= lo && x <= hi))
    fail(ctx, value_node(n), key,
         "got " + format_number(x) + " (allowed: " + format_number(lo) + " to " +
             format_number(hi) + ")");
}

std::vector<std::string> formulation_names(const ScenarioSpec& spec) {
  std::vector<std::string> names;
  for (const Formulation& f : spec.formulations) names.push_back(f.name);
  return names;
}

std::vector<int> read_indices(Context& ctx, const toml::node& n, const std::string& key) {
  const toml::array* a = n.as_array();
  if (!a) fail(ctx, n, key, "expected an array of dose indices, e.g. [7, 8]");
  std::vector<int> out;
  for (std::size_t i = 0; i < a->size(); ++i)
    out.push_back(
        static_cast<int>(read_int(ctx, *a->get(i), key + "[" + std::to_string(i) + "]", 0)));
  return out;
}

// RATE: a dose rate in mass/time.
const ExpectedDimension& mass_rate() {
  static const ExpectedDimension d("dose rate (mass/time)", "mg/h", "mg/h, ug/min, mg/d");
  return d;
}

DoseRecord parse_dose(Context& ctx, const toml::table& t, const std::string& k,
                      const ScenarioSpec& spec) {
  check_keys(ctx, t, k,
             {"formulation", "amount", "time", "addl", "interval", "duration", "rate",
              "steady_state", "reset", "missed", "late"});
  DoseRecord d;
  if (const toml::node* n = t.get("reset")) d.reset = read_bool(ctx, *n, k + ".reset");
  if (const toml::node* n = t.get("time"))
    d.time_h = read_quantity(ctx, *n, k + ".time", "", dim::time(), Range::kNonNegative);
  // EVID 3: a reset alone has a time and nothing else.
  if (d.reset && !t.contains("formulation")) {
    for (const auto& [key, node] : t)
      if (key != "reset" && key != "time")
        fail(ctx, node, k + "." + std::string(key.str()),
             "a reset without a formulation (EVID 3) takes no dose keys (allowed: reset, time; "
             "add formulation and amount for a reset and dose, EVID 4)");
    if (d.time_h > spec.grid.t_end_h)
      fail(ctx, value_node(*t.get("time")), k + ".time",
           "the reset (" + format_quantity(d.time_h, dim::time()) +
               ") is after the end of the simulation (output.end = " +
               format_quantity(spec.grid.t_end_h, dim::time()) + ")");
    return d;
  }
  const toml::node& fn = require(ctx, t, "formulation", k + ".formulation", "a formulation name");
  d.formulation = read_string(ctx, fn, k + ".formulation");
  if (!spec.find_formulation(d.formulation)) {
    const std::vector<std::string> names = formulation_names(spec);
    fail(ctx, fn, k + ".formulation",
         "unknown formulation '" + d.formulation + "'" + did_you_mean(d.formulation, names) +
             " (defined: " + join(names) + ")");
  }
  // SS 1 = true, SS 2 = "add".
  if (const toml::node* n = t.get("steady_state")) {
    if (n->is_string()) {
      const std::string v = read_string(ctx, *n, k + ".steady_state");
      if (v != "add")
        fail(ctx, *n, k + ".steady_state",
             "got '" + v + "' (allowed: true (SS=1), false, \"add\" (SS=2))");
      d.steady_state = d.steady_state_add = true;
    } else {
      d.steady_state = read_bool(ctx, *n, k + ".steady_state");
    }
  }
  double rate_mg_per_h = 0.0;
  if (const toml::node* n = t.get("rate")) {
    rate_mg_per_h = read_quantity(ctx, *n, k + ".rate", "", mass_rate(), Range::kPositive);
    if (t.contains("duration"))
      fail(ctx, *n, k + ".rate", "give rate or duration, not both (duration = amount / rate)");
  }
  if (rate_mg_per_h > 0.0 && !t.contains("amount")) {
    // SS 1 with AMT 0 and RATE > 0: a constant infusion, at steady state from its time on.
    const toml::node& rn = *t.get("rate");
    if (!d.steady_state)
      fail(ctx, rn, k + ".rate",
           "a rate without an amount is a constant infusion and needs steady_state = true "
           "(allowed: amount with rate, or steady_state with rate alone)");
    for (const char* key : {"addl", "interval", "missed", "late"})
      if (const toml::node* x = t.get(key))
        fail(ctx, *x, k + "." + key,
             "a constant infusion (rate without amount) runs until the end and takes no " +
                 std::string(key));
    if (rate_mg_per_h > kMaxDoseMg)
      fail(ctx, value_node(rn), k + ".rate",
           "got " + format_quantity(rate_mg_per_h, mass_rate()) + " (allowed: up to " +
               format_quantity(kMaxDoseMg, mass_rate()) + ")");
    d.rate_mg_per_h = rate_mg_per_h;
    if (d.time_h > spec.grid.t_end_h)
      fail(ctx, value_node(*t.get("time")), k + ".time",
           "the infusion (" + format_quantity(d.time_h, dim::time()) +
               ") starts after the end of the simulation (output.end = " +
               format_quantity(spec.grid.t_end_h, dim::time()) + ")");
    return d;
  }
  d.amount_mg =
      read_quantity(ctx, require(ctx, t, "amount", k + ".amount", "a mass, e.g. \"25 mg\""),
                    k + ".amount", "", dim::mass(), Range::kPositive);
  if (d.amount_mg > kMaxDoseMg)
    fail(ctx, value_node(*t.get("amount")), k + ".amount",
         "got " + format_quantity(d.amount_mg, dim::mass()) + " (allowed: up to " +
             format_quantity(kMaxDoseMg, dim::mass()) + ")");
  if (rate_mg_per_h > 0.0) d.duration_h = d.amount_mg / rate_mg_per_h;  // NONMEM: D = AMT/RATE
  if (const toml::node* n = t.get("addl")) {
    const long addl = read_int(ctx, *n, k + ".addl", 0);
    if (addl > kMaxAddl)
      fail(ctx, value_node(*n), k + ".addl",
           "got " + std::to_string(addl) + " (allowed: 0 to " + std::to_string(kMaxAddl) + ")");
    d.addl = static_cast<int>(addl);
  }
  if (const toml::node* n = t.get("interval"))
    d.ii_h = read_quantity(ctx, *n, k + ".interval", "", dim::time(), Range::kPositive);
  else if (d.addl > 0 || d.steady_state)
    fail(ctx, t, k + ".interval", "missing (required when addl > 0 or steady_state is set)");
  if (const toml::node* n = t.get("duration"))
    d.duration_h = read_quantity(ctx, *n, k + ".duration", "", dim::time(), Range::kNonNegative);
  if (const toml::node* n = t.get("missed")) {
    d.missed = read_indices(ctx, *n, k + ".missed");
    for (int i : d.missed)
      if (i > d.addl)
        fail(ctx, *n, k + ".missed",
             "index " + std::to_string(i) + " is not a dose of this record (allowed: 0.." +
                 std::to_string(d.addl) + ")");
  }
  if (const toml::node* n = t.get("late")) {
    const toml::array* a = n->as_array();
    if (!a) fail(ctx, *n, k + ".late", "expected an array like [{ index = 2, delay = \"6 h\" }]");
    for (std::size_t i = 0; i < a->size(); ++i) {
      const std::string lk = k + ".late[" + std::to_string(i) + "]";
      const toml::table& lt = as_table(ctx, *a->get(i), lk);
      check_keys(ctx, lt, lk, {"index", "delay"});
      DoseDelay dl;
      const toml::node& in = require(ctx, lt, "index", lk + ".index", "a dose index");
      dl.index = static_cast<int>(read_int(ctx, in, lk + ".index", 0));
      if (dl.index > d.addl)
        fail(ctx, in, lk + ".index",
             "index " + std::to_string(dl.index) + " is not a dose of this record (allowed: 0.." +
                 std::to_string(d.addl) + ")");
      dl.delay_h = read_quantity(ctx, require(ctx, lt, "delay", lk + ".delay", "a time"),
                                 lk + ".delay", "", dim::time(), Range::kNonNegative);
      d.delays.push_back(dl);
    }
  }
  const double last_h = d.time_h + d.addl * d.ii_h;
  if (last_h > spec.grid.t_end_h)
    fail(ctx, t.contains("time") ? value_node(*t.get("time")) : static_cast<const toml::node&>(t),
         k + ".time",
         (d.addl > 0 ? "the last dose (" : "the dose (") + format_quantity(last_h, dim::time()) +
             ") is after the end of the simulation (output.end = " +
             format_quantity(spec.grid.t_end_h, dim::time()) + ")");
  return d;
}

}  // namespace

OutputGrid parse_output(Context& ctx, const toml::table& root) {
  OutputGrid g;
  const toml::table* o = table_at(ctx, root, "output", "output");
  if (!o) fail(ctx, root, "output", "missing (required: [output] with end, e.g. end = \"7 d\")");
  check_keys(ctx, *o, "output", {"start", "end", "step", "refine_after_doses", "refine_step"});
  if (const toml::node* n = o->get("start"))
    g.t_start_h = read_quantity(ctx, *n, "output.start", "", dim::time(), Range::kNonNegative);
  g.t_end_h = read_quantity(ctx, require(ctx, *o, "end", "output.end", "a time, e.g. \"7 d\""),
                            "output.end", "", dim::time(), Range::kPositive);
  if (!(g.t_end_h > g.t_start_h))
    fail(ctx, value_node(*o->get("end")), "output.end", "must be after output.start");
  if (const toml::node* n = o->get("step"))
    g.dt_h = read_quantity(ctx, *n, "output.step", "", dim::time(), Range::kPositive);
  if (const toml::node* n = o->get("step")) {
    const double samples = (g.t_end_h - g.t_start_h) / g.dt_h + 1.0;
    if (!(samples <= kMaxGridSamples))
      fail(ctx, value_node(*n), "output.step",
           "gives " + format_number(samples) + " samples per arm from output.start to " +
               "output.end (allowed: at most " + format_number(kMaxGridSamples) +
               "; use a coarser step)");
  }
  // Extra samples after each dose, so minute-scale peaks show on an hourly grid.
  if (const toml::node* n = o->get("refine_after_doses"))
    g.refine_after_doses_h =
        read_quantity(ctx, *n, "output.refine_after_doses", "", dim::time(), Range::kNonNegative);
  if (const toml::node* n = o->get("refine_step"))
    g.refine_step_h =
        read_quantity(ctx, *n, "output.refine_step", "", dim::time(), Range::kPositive);
  if (g.refine_after_doses_h > 0.0 && g.refine_step_h > 0.0 &&
      !(g.refine_after_doses_h / g.refine_step_h <= kMaxRefineSamples))
    fail(ctx, value_node(*o->get("refine_step")), "output.refine_step",
         "gives " + format_number(g.refine_after_doses_h / g.refine_step_h) +
             " samples after each dose (allowed: at most " + format_number(kMaxRefineSamples) +
             ")");
  return g;
}

SolverOptions parse_solver(Context& ctx, const toml::table& root) {
  SolverOptions s;
  const toml::table* t = table_at(ctx, root, "solver", "solver");
  if (!t) return s;
  check_keys(ctx, *t, "solver",
             {"method", "rtol", "atol", "atol_occupancy", "max_step", "initial_step", "max_steps"});
  if (const toml::node* m = t->get("method")) {
    const std::string method = read_string(ctx, *m, "solver.method");
    if (method == "rosenbrock4")
      s.method = SolverMethod::kRosenbrock4;
    else if (method == "dopri5")
      s.method = SolverMethod::kDopri5;
    else if (method == "exact-linear")
      s.method = SolverMethod::kExactLinear;
    else
      fail(ctx, *m, "solver.method",
           "got '" + method + "'" +
               did_you_mean(method, {"rosenbrock4", "dopri5", "exact-linear"}) +
               " (allowed: rosenbrock4, dopri5, exact-linear)");
  }
  if (const toml::node* n = t->get("rtol")) {
    s.rtol = read_quantity(ctx, *n, "solver.rtol", "", dim::dimensionless(), Range::kPositive);
    check_between(ctx, *n, "solver.rtol", s.rtol, kMinRtol, kMaxRtol);
  }
  if (const toml::node* n = t->get("atol")) {
    s.atol = read_quantity(ctx, *n, "solver.atol", "", dim::dimensionless(), Range::kPositive);
    check_between(ctx, *n, "solver.atol", s.atol, kMinAtol, kMaxAtol);
  }
  if (const toml::node* n = t->get("atol_occupancy")) {
    s.atol_occupancy =
        read_quantity(ctx, *n, "solver.atol_occupancy", "", dim::dimensionless(), Range::kPositive);
    if (s.atol_occupancy >= 1.0)
      fail(ctx, *n, "solver.atol_occupancy",
           "must be below 1 (a fraction of receptors, e.g. 1e-5)");
    if (s.method == SolverMethod::kDopri5)
      fail(ctx, *n, "solver.atol_occupancy",
           "needs method = \"rosenbrock4\" (dopri5 holds every state to the one `atol`)");
  }
  if (const toml::node* n = t->get("max_step"))
    s.max_step_h = read_quantity(ctx, *n, "solver.max_step", "", dim::time(), Range::kNonNegative);
  if (const toml::node* n = t->get("initial_step"))
    s.initial_step_h =
        read_quantity(ctx, *n, "solver.initial_step", "", dim::time(), Range::kPositive);
  if (const toml::node* n = t->get("max_steps")) {
    s.max_steps = read_int(ctx, *n, "solver.max_steps", 1);
    check_between(ctx, *n, "solver.max_steps", static_cast<double>(s.max_steps), 1,
                  static_cast<double>(kMaxSteps));
  }
  return s;
}

std::vector<Arm> parse_arms(Context& ctx, const toml::table& root, const ScenarioSpec& spec,
                            bool required) {
  const toml::array* arms = array_at(ctx, root, "arm", "arm");
  if (!required && !arms) return {};
  if (!arms || arms->empty())
    fail(ctx, root, "arm", "missing (required: at least one [[arm]] with name and [[arm.dose]])");
  std::vector<Arm> out;
  for (std::size_t i = 0; i < arms->size(); ++i) {
    const std::string k = "arm[" + std::to_string(i) + "]";
    const toml::table& t = as_table(ctx, *arms->get(i), k);
    check_keys(ctx, t, k, {"name", "description", "dose"});
    Arm a;
    const toml::node& nn = require(ctx, t, "name", k + ".name", "the arm's name");
    a.name = read_string(ctx, nn, k + ".name");
    // The name becomes an HDF5 group: one path component, not "." or "..".
    if (a.name.empty() || a.name == "." || a.name == ".." || a.name.find('/') != std::string::npos)
      fail(
          ctx, nn, k + ".name",
          "'" + a.name + "' cannot name an arm (allowed: non-empty text without '/', not . or ..)");
    for (const Arm& other : out)
      if (other.name == a.name) fail(ctx, nn, k + ".name", "arm name '" + a.name + "' used twice");
    if (const toml::node* d = t.get("description")) read_string(ctx, *d, k + ".description");
    if (const toml::array* doses = array_at(ctx, t, "dose", k + ".dose"))
      for (std::size_t j = 0; j < doses->size(); ++j) {
        const std::string dk = k + ".dose[" + std::to_string(j) + "]";
        a.doses.push_back(parse_dose(ctx, as_table(ctx, *doses->get(j), dk), dk, spec));
      }
    out.push_back(std::move(a));
  }
  return out;
}

}  // namespace morsim::config
