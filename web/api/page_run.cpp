#include "page_run.hpp"

#include <toml++/toml.h>

#include <chrono>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <stdexcept>

#include "analysis/challenges.hpp"
#include "config/load_scenario.hpp"
#include "edit_config.hpp"
#include "io/csv_write.hpp"
#include "lessons/run_lesson.hpp"
#include "resources/resources.hpp"
#include "solver/arm_simulator.hpp"
#include "solver/sample_grid.hpp"

namespace morsim::web {
namespace {

using emscripten::val;

val float_array(const std::vector<double>& v) {
  return val::global("Float64Array").new_(emscripten::typed_memory_view(v.size(), v.data()));
}

// Column k of a row-major (time, compound) table.
val column(const std::vector<double>& table, std::size_t n_compounds, std::size_t k) {
  std::vector<double> c(table.size() / n_compounds);
  for (std::size_t i = 0; i < c.size(); ++i) c[i] = table[i * n_compounds + k];
  return float_array(c);
}

val strings(const std::vector<std::string>& v) {
  val a = val::array();
  for (const std::string& s : v) a.call<void>("push", s);
  return a;
}

// The columns and number format of `morsim export --csv` (cli/cmd_export.cpp), time in the
// run table's unit, with the arm as first column so that one file holds every arm.
void append_csv(std::string& out, const Trajectory& tr, bool header, const TimeUnit& unit) {
  const std::size_t nk = tr.n_compounds();
  if (header) {
    out += std::string("arm,time_") + unit.name;
    for (const char* what : {"plasma_", "brain_", "occupancy_"})
      for (const std::string& c : tr.compounds)
        out += std::string(",") + what + c + (what[0] == 'o' ? "_percent" : "_nM");
    out += ",free_receptor_percent,effect_percent\n";
  }
  for (std::size_t i = 0; i < tr.n_times(); ++i) {
    out += tr.arm + "," + csv_number(tr.t_h[i] / unit.hours);
    for (std::size_t k = 0; k < nk; ++k) out += "," + csv_number(tr.plasma(i, k));
    for (std::size_t k = 0; k < nk; ++k) out += "," + csv_number(tr.brain(i, k));
    for (std::size_t k = 0; k < nk; ++k) out += "," + csv_number(100.0 * tr.occ(i, k));
    out += "," + csv_number(100.0 * tr.free_receptor[i]) + "," + csv_number(100.0 * tr.effect[i]);
    out += "\n";
  }
}

val challenges_of(const std::vector<ChallengeResult>& rows) {
  val a = val::array();
  for (const ChallengeResult& c : rows) {
    val o = val::object();
    o.set("dose_time_h", c.dose_time_h);
    o.set("formulation", c.formulation);
    o.set("amount_mg", c.amount_mg);
    o.set("peak_agonist_occupancy", c.peak_agonist_occupancy);
    o.set("peak_time_h", c.peak_time_h);
    o.set("antagonist_occupancy", c.antagonist_occupancy);
    o.set("peak_effect", c.peak_effect);
    o.set("blockade", c.blockade);
    a.call<void>("push", o);
  }
  return a;
}

val arm_of(const Trajectory& tr, const std::vector<ChallengeResult>& challenges) {
  val o = val::object();
  const std::size_t nk = tr.n_compounds();
  o.set("name", tr.arm);
  o.set("compounds", strings(tr.compounds));
  val agonist = val::array(), plasma = val::array(), brain = val::array(), occ = val::array();
  for (std::size_t k = 0; k < nk; ++k) {
    agonist.call<void>("push", bool(tr.is_agonist[k]));
    plasma.call<void>("push", column(tr.plasma_nM, nk, k));
    brain.call<void>("push", column(tr.brain_nM, nk, k));
    occ.call<void>("push", column(tr.occupancy, nk, k));
  }
  o.set("agonist", agonist);
  o.set("t_h", float_array(tr.t_h));
  o.set("plasma_nM", plasma);
  o.set("brain_nM", brain);
  o.set("occupancy", occ);
  o.set("free_receptor", float_array(tr.free_receptor));
  o.set("effect_modelled", tr.effect_modelled);
  o.set("effect", float_array(tr.effect));
  o.set("challenges", challenges_of(challenges));
  return o;
}

// The dose records as the controls need them: which formulation, what it gives, when.
val doses_of(const ScenarioSpec& spec) {
  val a = val::array();
  for (const Arm& arm : spec.arms)
    for (const DoseRecord& d : arm.doses) {
      const Formulation* f = spec.find_formulation(d.formulation);
      const Compound* c = f ? spec.find_compound(f->compound) : nullptr;
      val o = val::object();
      o.set("arm", arm.name);
      o.set("formulation", d.formulation);
      o.set("compound", f ? f->compound : "");
      o.set("route", f ? f->route : "");
      o.set("agonist", bool(c && produces_agonist(spec, c->name)));
      o.set("amount_mg", d.amount_mg);
      o.set("time_h", d.time_h);
      o.set("addl", d.addl);
      o.set("ii_h", d.ii_h);
      o.set("steady_state", d.steady_state);
      val missed = val::array();
      for (int m : d.missed) missed.call<void>("push", m);
      o.set("missed", missed);
      a.call<void>("push", o);
    }
  return a;
}

val parameters_of(const ScenarioSpec& spec) {
  val a = val::array();
  for (const ParameterSource& p : spec.sources) {
    val o = val::object();
    o.set("path", p.path);
    o.set("value", p.value);
    o.set("source", p.source);
    o.set("overridden", p.overridden);
    a.call<void>("push", o);
  }
  return a;
}

// The arms of the last run that succeeded, for last_run_csv(): the page asks for the CSV only
// when it is downloaded, so a control change need not write it.
struct LastRun {
  std::vector<Trajectory> arms;
  TimeUnit unit = time_unit_for_span(0.0);
};
LastRun& last_run() {
  static LastRun run;
  return run;
}

// The compounds an arm's doses put in the body: the dosed ones, what their first pass and
// metabolism form (at any depth); and the formulations it doses.
struct ArmUses {
  std::set<std::string> compounds, formulations;
};
ArmUses uses_of(const ScenarioSpec& spec, const Arm& arm) {
  ArmUses u;
  std::vector<std::string> todo;
  for (const DoseRecord& d : arm.doses) {
    u.formulations.insert(d.formulation);
    if (const Formulation* f = spec.find_formulation(d.formulation)) {
      todo.push_back(f->compound);
      for (const FirstPassLink& l : f->first_pass) todo.push_back(l.metabolite);
    }
  }
  while (!todo.empty()) {
    const std::string c = todo.back();
    todo.pop_back();
    if (!u.compounds.insert(c).second) continue;
    if (const Compound* m = spec.find_compound(c))
      for (const MetaboliteLink& l : m->metabolites) todo.push_back(l.metabolite);
  }
  return u;
}

// What an arm's simulation (and its challenge peaks) depends on, from the data: the resolved
// config (spec.config_text: models inlined, overrides applied, parsed as `resolved`) with only
// this arm, and of the compounds and formulations the arm does not use only their names, plus
// every compound's kind (the trajectory's columns). A compound the arm never doses stays at
// zero, so its parameters cannot change the arm's numbers; the browser test checks that.
std::string arm_key(const toml::table& resolved, const ScenarioSpec& spec, const Arm& arm) {
  const ArmUses uses = uses_of(spec, arm);
  toml::table t = resolved;
  if (const toml::array* arms = t["arm"].as_array()) {
    toml::array mine;
    for (const toml::node& a : *arms)
      if (const toml::table* at = a.as_table())
        if ((*at)["name"].value<std::string>() == arm.name) mine.push_back(*at);
    if (mine.size() == 1) t.insert_or_assign("arm", std::move(mine));  // else keep them all
  }
  for (const auto& [what, used] :
       {std::pair{"compound", &uses.compounds}, std::pair{"formulation", &uses.formulations}}) {
    const toml::array* all = t[what].as_array();
    if (!all) continue;
    toml::array kept;
    for (const toml::node& x : *all) {
      const toml::table* xt = x.as_table();
      const std::string name = xt ? (*xt)["name"].value<std::string>().value_or("") : "";
      if (!xt || name.empty() || used->count(name)) {
        kept.push_back(x);
      } else {
        toml::table only;
        only.insert("name", name);
        kept.push_back(std::move(only));
      }
    }
    t.insert_or_assign(what, std::move(kept));
  }
  std::ostringstream out;
  out << t << "\n";
  for (const Compound& c : spec.compounds)
    out << c.name << (c.is_agonist() ? " agonist" : "") << (c.binds_receptor ? " binds" : "")
        << "\n";
  return out.str();
}

// Arms of the last run by key, with their located challenge peaks: a control change
// re-simulates only the arms whose key it changes.
struct ArmCache {
  bool enabled = true;
  std::map<std::string, Trajectory> arms;
  std::shared_ptr<const ChallengeMemo::Entries> peaks;
};
ArmCache& arm_cache() {
  static ArmCache cache;
  return cache;
}

}  // namespace

void set_arm_cache(bool enabled) { arm_cache().enabled = enabled; }

val run_lesson_config(const std::string& toml_text, const std::string& display_name,
                      const std::vector<std::string>& edits) {
  val r = val::object();
  r.set("ok", false);
  try {
    using Clock = std::chrono::steady_clock;
    const auto t0 = Clock::now();
    auto mark = t0;
    val engine_ms = val::object();  // where the time went, by stage
    auto lap = [&](const char* stage) {
      const auto now = Clock::now();
      engine_ms.set(stage, std::chrono::duration<double, std::milli>(now - mark).count());
      mark = now;
    };
    const std::string text = edit_config(toml_text, edits);
    r.set("toml", text);
    const ScenarioSpec spec = load_scenario_text(text, display_name, EmbeddedLibrary());
    lap("load");
    // Each arm by its key: from the last run when the key is the same, else simulated.
    ArmCache& cache = arm_cache();
    const toml::table resolved = toml::parse(spec.config_text);
    std::vector<std::string> keys;
    for (const Arm& arm : spec.arms) keys.push_back(arm_key(resolved, spec, arm));
    lap("keys");
    std::vector<Trajectory> arms;
    std::unique_ptr<ArmSimulator> sim;
    val simulated = val::array(), reused = val::array();
    for (std::size_t a = 0; a < spec.arms.size(); ++a) {
      const auto hit = cache.arms.find(keys[a]);
      if (cache.enabled && hit != cache.arms.end()) {
        arms.push_back(hit->second);
        reused.call<void>("push", spec.arms[a].name);
        continue;
      }
      if (!sim) sim = std::make_unique<ArmSimulator>(spec);
      // Kept runs: the challenge tables and the lesson locate peaks without simulating again.
      SimulateOptions keep;
      keep.keep_dense_output = true;
      arms.push_back(
          sim->simulate(spec.arms[a], arm_sample_times(spec, spec.arms[a]), nullptr, keep));
      simulated.call<void>("push", spec.arms[a].name);
    }
    lap("simulate");
    // The lesson and the challenge tables analyse the same arms: their peaks are located once,
    // and those of arms from the last run are taken from it.
    ChallengeMemo memo;
    for (std::size_t a = 0; a < spec.arms.size(); ++a)
      memo.identify(spec, spec.arms[a].name, keys[a]);
    if (cache.enabled && cache.peaks) memo.seed(*cache.peaks);
    LessonResult lesson;
    if (spec.lesson) lesson = run_lesson(spec, arms);
    lap("lesson");
    const Trajectory* control = find_control_arm(spec, arms);
    std::vector<std::vector<ChallengeResult>> rows;
    for (const Trajectory& tr : arms) rows.push_back(analyse_challenges(spec, tr, control));
    for (const Trajectory& tr : lesson.output.extra_arms)  // the lesson's own arms
      rows.push_back(analyse_challenges(spec, tr, nullptr));
    lap("challenges");
    val out_arms = val::array();
    for (std::size_t a = 0; a < arms.size(); ++a)
      out_arms.call<void>("push", arm_of(arms[a], rows[a]));
    for (std::size_t a = 0; a < lesson.output.extra_arms.size(); ++a)
      out_arms.call<void>("push", arm_of(lesson.output.extra_arms[a], rows[arms.size() + a]));
    val values = val::object();
    for (const auto& [k, v] : lesson.output.values) values.set(k, v);
    r.set("name", spec.name);
    r.set("description", spec.description);
    r.set("lesson_kind", spec.lesson ? spec.lesson->kind : "");
    r.set("paragraph", lesson.paragraph);
    r.set("values", values);
    r.set("mode", spec.receptor.mode == BindingMode::kKinetic ? "kinetic" : "equilibrium");
    r.set("start_h", spec.grid.t_start_h);
    r.set("end_h", spec.grid.t_end_h);
    r.set("doses", doses_of(spec));
    r.set("parameters", parameters_of(spec));
    r.set("arms", out_arms);
    r.set("simulated", simulated);
    r.set("reused", reused);
    lap("transfer");
    if (cache.enabled) {
      cache.arms.clear();
      // Without their runs: the peaks of the cached arms are carried in cache.peaks.
      for (std::size_t a = 0; a < spec.arms.size(); ++a) {
        Trajectory cached = arms[a];
        cached.dense.reset();
        cache.arms.emplace(keys[a], std::move(cached));
      }
      cache.peaks = memo.identified();
    }
    lap("cache");
    r.set("engine_ms", engine_ms);
    r.set("run_ms", std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
    arms.insert(arms.end(), lesson.output.extra_arms.begin(), lesson.output.extra_arms.end());
    last_run().arms = std::move(arms);
    last_run().unit = time_unit_for_span(spec.grid.t_end_h - spec.grid.t_start_h);
    r.set("ok", true);
  } catch (const toml::parse_error& e) {
    r.set("error", display_name + ":" + std::to_string(e.source().begin.line) + ": " +
                       std::string(e.description()));
  } catch (const std::exception& e) {
    r.set("error", std::string(e.what()));
  }
  return r;
}

std::string last_run_csv() {
  std::string csv;
  for (const Trajectory& tr : last_run().arms) append_csv(csv, tr, csv.empty(), last_run().unit);
  return csv;
}

val builtin_lessons() {
  val a = val::array();
  for (const Resource& res : embedded_resources()) {
    const std::string path = res.path;
    if (path.rfind("configs/demo/", 0) != 0) continue;
    const std::string text = res.text;
    if (text.find("\n[lesson]") == std::string::npos) continue;
    val o = val::object();
    o.set("path", path);
    o.set("text", text);
    a.call<void>("push", o);
  }
  return a;
}

}  // namespace morsim::web
