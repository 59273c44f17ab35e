// Scenario loading: gather the config and the model files it needs, apply overrides, read
// every table, check cross-references with file:line, then validate() as a safety net.
#include "config/load_scenario.hpp"

#include <algorithm>
#include <deque>
#include <fstream>
#include <functional>
#include <sstream>

#include "config/overrides.hpp"
#include "config/schema.hpp"

namespace morsim {
namespace {

using config::Context;
using config::fail;

toml::table parse_toml(const std::string& text, const std::string& display) {
  return config::parse_config_toml(text, display);
}

class Loader {
 public:
  Loader(const ModelLibrary& lib, const std::string& display, bool arms_required = true)
      : lib_(&lib), display_(display), arms_required_(arms_required) {}

  ScenarioSpec load(const std::string& text, const std::vector<std::string>& cli_overrides) {
    root_ = parse_toml(text, display_);
    config::check_keys(ctx_, root_, "",
                       {"scenario", "output", "solver", "receptor", "overrides", "arm", "compound",
                        "formulation", "lesson", "dataset"});  // [dataset]: nonmem/
    ScenarioSpec spec;
    read_header(spec);
    register_inline("compound", inline_compounds_);
    register_inline("formulation", inline_formulations_);
    resolve();
    config::OverrideTargets targets{compounds_, formulations_, receptor_table(),
                                    root_.get_as<toml::array>("arm")};
    if (const toml::table* o = config::table_at(ctx_, root_, "overrides", "overrides"))
      config::apply_override_table(ctx_, targets, *o);
    for (const std::string& s : cli_overrides)
      config::apply_command_line_override(ctx_, targets, s);

    for (const std::string& name : compound_order_) {
      std::vector<const toml::node*> links;
      spec.compounds.push_back(config::parse_compound(ctx_, *compounds_[name], &links));
      links_[name] = links;
    }
    check_loops(spec);
    for (const std::string& name : formulation_order_)
      spec.formulations.push_back(config::parse_formulation(ctx_, *formulations_[name]));
    if (receptor_doc_)
      config::parse_receptor(ctx_, *receptor_doc_, "receptor", spec.receptor, false);
    config::parse_receptor(ctx_, *receptor_table(), "receptor", spec.receptor, true);
    spec.grid = config::parse_output(ctx_, root_);
    spec.solver = config::parse_solver(ctx_, root_);
    spec.arms = config::parse_arms(ctx_, root_, spec, arms_required_);
    spec.lesson = config::parse_lesson(ctx_, root_, spec);
    spec.sources = ctx_.sources;
    spec.model_origins = origins_;
    spec.config_text = resolved_text(cli_overrides);
    validate(spec, arms_required_);
    return spec;
  }

 private:
  void read_header(ScenarioSpec& spec) {
    const toml::table* s = config::table_at(ctx_, root_, "scenario", "scenario");
    if (!s) fail(ctx_, root_, "scenario", "missing (required: [scenario] with name)");
    config::check_keys(ctx_, *s, "scenario", {"name", "description", "use", "models"});
    spec.name = config::read_string(
        ctx_, config::require(ctx_, *s, "name", "scenario.name", "the scenario's name"),
        "scenario.name");
    if (const toml::node* d = s->get("description"))
      spec.description = config::read_string(ctx_, *d, "scenario.description");
    if (const toml::node* m = s->get("models")) select_model_set(*m);
  }

  // `models = "fda2022"`: the library's subfolder of that name. A path was resolved by the
  // caller, who chose lib_ by it.
  void select_model_set(const toml::node& m) {
    const std::string name = config::read_string(ctx_, m, "scenario.models");
    if (!is_model_set_name(name)) return;
    const std::vector<std::string> sets = lib_->model_sets();
    if (std::find(sets.begin(), sets.end(), name) == sets.end())
      fail(ctx_, m, "scenario.models",
           "no model set '" + name + "' in " + lib_->description() +
               config::did_you_mean(name, sets) +
               " (allowed: " + (sets.empty() ? std::string("no sets there") : config::join(sets)) +
               "; or a folder path relative to the config, with a '/', e.g. \"../models\")");
    set_.emplace(*lib_, name);
    lib_ = &*set_;
  }

  void register_inline(const char* kind, std::map<std::string, toml::table*>& out) {
    const toml::array* a = config::array_at(ctx_, root_, kind, kind);
    if (!a) return;
    for (std::size_t i = 0; i < a->size(); ++i) {
      const std::string key = std::string(kind) + "[" + std::to_string(i) + "]";
      auto& t = const_cast<toml::table&>(config::as_table(ctx_, *a->get(i), key));
      const std::string name = config::table_name(ctx_, t, kind);
      if (!out.emplace(name, &t).second)
        fail(ctx_, *t.get("name"), key + ".name",
             std::string(kind) + " '" + name + "' defined twice");
    }
  }

  // Everything named by `use`, defined inline, or dosed; then their compounds and metabolites.
  void resolve() {
    if (const toml::array* use =
            config::array_at(ctx_, *root_.get_as<toml::table>("scenario"), "use", "scenario.use")) {
      for (std::size_t i = 0; i < use->size(); ++i) {
        const std::string key = "scenario.use[" + std::to_string(i) + "]";
        const toml::node& n = *use->get(i);
        const std::string name = config::read_string(ctx_, n, key);
        if (inline_compounds_.count(name) || lib_->find("compounds/" + name + ".toml"))
          add_compound(name, n, key);
        else if (inline_formulations_.count(name) || lib_->find("formulations/" + name + ".toml"))
          add_formulation(name, n, key);
        else
          fail(ctx_, n, key,
               "no compound or formulation named '" + name + "'" +
                   config::did_you_mean(name, all_names()) + " in " + where_models());
      }
    }
    for (const auto& [name, t] : inline_compounds_) add_compound(name, *t, "compound");
    for (const auto& [name, t] : inline_formulations_) add_formulation(name, *t, "formulation");
    if (const toml::array* arms = root_.get_as<toml::array>("arm"))
      for (std::size_t i = 0; i < arms->size(); ++i) {
        const toml::table* arm = arms->get(i)->as_table();
        const toml::array* doses = arm ? arm->get_as<toml::array>("dose") : nullptr;
        for (std::size_t j = 0; doses && j < doses->size(); ++j) {
          const toml::table* d = doses->get(j)->as_table();
          const toml::node* f = d ? d->get("formulation") : nullptr;
          if (f && f->is_string())
            add_formulation(
                f->as_string()->get(), *f,
                "arm[" + std::to_string(i) + "].dose[" + std::to_string(j) + "].formulation");
        }
      }
    // A dataset's CMT mapping doses formulations too, even when the file has no arms.
    if (const toml::table* ds = root_.get_as<toml::table>("dataset"))
      if (const toml::table* cmt = ds->get_as<toml::table>("cmt"))
        for (const auto& [k, v] : *cmt) {
          const toml::node* f = v.is_table() ? v.as_table()->get("formulation") : &v;
          if (f && f->is_string())
            add_formulation(f->as_string()->get(), *f, "dataset.cmt." + std::string(k.str()));
        }
  }

  toml::table* from_library(const std::string& folder, const std::string& name) {
    const std::optional<ModelFile> file = lib_->find(folder + "/" + name + ".toml");
    if (!file) return nullptr;
    docs_.push_back(parse_toml(file->text, file->display_path));
    origins_.push_back({folder == "receptor" ? "receptor" : name, file->display_path});
    return &docs_.back();
  }

  void add_compound(const std::string& name, const toml::node& ref, const std::string& key) {
    if (compounds_.count(name)) return;
    toml::table* t =
        inline_compounds_.count(name) ? inline_compounds_[name] : from_library("compounds", name);
    if (!t) {
      std::vector<std::string> names = lib_->names("compounds");
      for (const auto& [n, tab] : inline_compounds_) names.push_back(n);
      fail(ctx_, ref, key,
           "unknown compound '" + name + "'" + config::did_you_mean(name, names) +
               " (known: " + config::join(names) + ")");
    }
    if (inline_compounds_.count(name)) origins_.push_back({name, display_});
    check_file_name(*t, name, "compound");
    compounds_[name] = t;
    compound_order_.push_back(name);
    if (const toml::table* pk = t->get_as<toml::table>("pk"))
      if (const toml::array* mets = pk->get_as<toml::array>("metabolites"))
        for (std::size_t i = 0; i < mets->size(); ++i)
          if (const toml::table* m = mets->get(i)->as_table())
            if (const toml::node* c = m->get("compound"); c && c->is_string())
              add_compound(c->as_string()->get(), *c,
                           name + ".pk.metabolites[" + std::to_string(i) + "].compound");
  }

  void add_formulation(const std::string& name, const toml::node& ref, const std::string& key) {
    if (formulations_.count(name)) return;
    toml::table* t = inline_formulations_.count(name) ? inline_formulations_[name]
                                                      : from_library("formulations", name);
    if (!t) {
      std::vector<std::string> names = lib_->names("formulations");
      for (const auto& [n, tab] : inline_formulations_) names.push_back(n);
      fail(ctx_, ref, key,
           "unknown formulation '" + name + "'" + config::did_you_mean(name, names) +
               " (known: " + config::join(names) + ")");
    }
    if (inline_formulations_.count(name)) origins_.push_back({name, display_});
    check_file_name(*t, name, "formulation");
    formulations_[name] = t;
    formulation_order_.push_back(name);
    if (const toml::node* c = t->get("compound"); c && c->is_string())
      add_compound(c->as_string()->get(), *c, name + ".compound");
    if (const toml::array* fp = t->get_as<toml::array>("first_pass"))
      for (std::size_t i = 0; i < fp->size(); ++i)
        if (const toml::table* l = fp->get(i)->as_table())
          if (const toml::node* m = l->get("metabolite"); m && m->is_string())
            add_compound(m->as_string()->get(), *m,
                         name + ".first_pass[" + std::to_string(i) + "].metabolite");
  }

  void check_file_name(const toml::table& t, const std::string& name, const char* kind) {
    const std::string got = config::table_name(ctx_, t, kind);
    if (got != name)
      fail(ctx_, *t.get("name"), std::string(kind) + ".name",
           "the file for '" + name + "' names itself '" + got + "' (allowed: the file's name)");
  }

  // The scenario's [receptor] table (created when absent, so overrides have a place to go),
  // and the receptor model file it names (default "mor"; "none" = struct defaults only).
  toml::table* receptor_table() {
    if (!root_.contains("receptor")) root_.insert("receptor", toml::table{});
    toml::table* r =
        const_cast<toml::table*>(&config::as_table(ctx_, *root_.get("receptor"), "receptor"));
    if (!receptor_loaded_) {
      receptor_loaded_ = true;
      const toml::node* m = r->get("model");
      const std::string model = m ? config::read_string(ctx_, *m, "receptor.model") : "mor";
      if (model != "none") {
        receptor_doc_ = from_library("receptor", model);
        if (!receptor_doc_ && m)
          fail(ctx_, *m, "receptor.model",
               "no receptor model '" + model + "'" +
                   config::did_you_mean(model, lib_->names("receptor")) +
                   " (allowed: " + config::join(lib_->names("receptor")) + ", none)");
      }
    }
    return r;
  }

  // Depth-first search over metabolite links; the link that closes a cycle is reported.
  void check_loops(const ScenarioSpec& spec) {
    std::map<std::string, int> state;  // 0 new, 1 on the path, 2 done
    std::vector<std::string> path;
    std::function<void(const Compound&)> visit = [&](const Compound& c) {
      state[c.name] = 1;
      path.push_back(c.name);
      for (std::size_t i = 0; i < c.metabolites.size(); ++i) {
        const Compound* m = spec.find_compound(c.metabolites[i].metabolite);
        if (!m) continue;
        if (state[m->name] == 1)
          fail(ctx_, *links_[c.name][i],
               c.name + ".pk.metabolites[" + std::to_string(i) + "].compound",
               "metabolite chain loops: " + config::join(path, " -> ") + " -> " + m->name +
                   " (allowed: chains that end)");
        if (state[m->name] == 0) visit(*m);
      }
      path.pop_back();
      state[c.name] = 2;
    };
    for (const Compound& c : spec.compounds)
      if (state[c.name] == 0) visit(c);
  }

  // The config as run: self-contained (library tables inlined, overrides applied).
  std::string resolved_text(const std::vector<std::string>& cli_overrides) {
    toml::table out = root_;
    out.erase("overrides");
    if (toml::table* s = out.get_as<toml::table>("scenario")) {
      s->erase("models");
      toml::array use;  // keeps the compound order of this run
      for (const std::string& n : compound_order_) use.push_back(n);
      s->insert_or_assign("use", std::move(use));
    }
    toml::array cs, fs;
    for (const std::string& n : compound_order_) cs.push_back(*compounds_[n]);
    for (const std::string& n : formulation_order_) fs.push_back(*formulations_[n]);
    out.insert_or_assign("compound", std::move(cs));
    out.insert_or_assign("formulation", std::move(fs));
    toml::table rec = receptor_doc_ ? *receptor_doc_ : toml::table{};
    rec.erase("name");
    for (const auto& [k, v] : *receptor_table())
      v.visit([&, key = k](const auto& x) { rec.insert_or_assign(key, x); });
    rec.insert_or_assign("model", "none");
    out.insert_or_assign("receptor", std::move(rec));
    std::ostringstream os;
    os << "# Resolved by morsim from " << display_ << " with " << lib_->description() << "\n";
    for (const std::string& o : cli_overrides) os << "# command-line override: " << o << "\n";
    os << out << "\n";
    return os.str();
  }

  std::vector<std::string> all_names() const {
    std::vector<std::string> n = lib_->names("compounds");
    for (const std::string& f : lib_->names("formulations")) n.push_back(f);
    for (const auto& [k, v] : inline_compounds_) n.push_back(k);
    for (const auto& [k, v] : inline_formulations_) n.push_back(k);
    return n;
  }
  std::string where_models() const { return lib_->description() + " or the config"; }

  const ModelLibrary* lib_;             // the library, or its model set in set_
  std::optional<ModelSetLibrary> set_;  // [scenario] models = "<set>"
  std::string display_;
  bool arms_required_ = true;
  Context ctx_;
  toml::table root_;
  std::deque<toml::table> docs_;  // library files; node addresses must stay put
  std::map<std::string, toml::table*> inline_compounds_, inline_formulations_;
  std::map<std::string, toml::table*> compounds_, formulations_;
  std::vector<std::string> compound_order_, formulation_order_;
  std::map<std::string, std::vector<const toml::node*>> links_;
  toml::table* receptor_doc_ = nullptr;
  std::vector<ModelOrigin> origins_;
  bool receptor_loaded_ = false;
};

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    const bool exists = std::filesystem::exists(path);
    throw ConfigError(path, 0, "(file)", exists ? "cannot be read" : "no such file");
  }
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

ScenarioSpec load_scenario_text(const std::string& text, const std::string& display_name,
                                const ModelLibrary& library,
                                const std::vector<std::string>& overrides) {
  return Loader(library, display_name).load(text, overrides);
}

ScenarioSpec load_scenario_file(const std::string& path,
                                const std::vector<std::string>& overrides) {
  return load_scenario_file(path, overrides, ArmsRequired::kYes);
}

ScenarioSpec load_scenario_file(const std::string& path, const std::vector<std::string>& overrides,
                                ArmsRequired arms) {
  const std::string text = read_file(path);
  const std::unique_ptr<ModelLibrary> library = model_library_for(path, text);
  return Loader(*library, path, arms == ArmsRequired::kYes).load(text, overrides);
}

}  // namespace morsim
