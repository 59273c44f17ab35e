// write_results: the layout of docs/output.md, written atomically.
#include <hdf5.h>

#include <cstdint>
#include <ctime>
#include <set>

#include "io/build_info.hpp"
#include "io/h5_handle.hpp"
#include "io/h5_write.hpp"
#include "io/partial_file.hpp"
#include "io/results_file.hpp"
#include "model/errors.hpp"

#ifndef MORSIM_VERSION
#define MORSIM_VERSION "unknown"
#endif

namespace morsim {

namespace {

const char* method_name(SolverMethod m) {
  switch (m) {
    case SolverMethod::kDopri5:
      return "dopri5";
    case SolverMethod::kExactLinear:
      return "exact-linear";
    case SolverMethod::kRosenbrock4:
      break;
  }
  return "rosenbrock4";
}

const char* binding_mode_name(BindingMode m) {
  return m == BindingMode::kEquilibrium ? "equilibrium" : "kinetic";
}

// Local rather than dosing.hpp's to_string: the file's vocabulary is part of the format and
// must not change with a rename in the model.
const char* status_name(DoseStatus s) {
  switch (s) {
    case DoseStatus::kLate:
      return "late";
    case DoseStatus::kMissed:
      return "missed";
    case DoseStatus::kTaken:
      break;
  }
  return "taken";
}

std::string utc_now_iso8601() {
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return buf;
}

void check_size(const Trajectory& t, const char* what, std::size_t got, std::size_t expected) {
  if (got != expected)
    throw OutputError("arm " + t.arm + ": " + what + " has " + std::to_string(got) +
                      " values, expected " + std::to_string(expected));
}

// Catches solver bugs here, with a clear message, rather than as a garbled file.
void check_arms(const std::vector<Trajectory>& arms) {
  std::set<std::string> names;
  for (const Trajectory& t : arms) {
    if (t.arm.empty() || t.arm == "." || t.arm.find('/') != std::string::npos)
      throw OutputError("arm name '" + t.arm + "' cannot be an HDF5 group name");
    if (!names.insert(t.arm).second) throw OutputError("arm " + t.arm + " appears twice");
    const std::size_t nt = t.n_times(), nk = t.n_compounds();
    check_size(t, "is_agonist", t.is_agonist.size(), nk);
    check_size(t, "binds_receptor", t.binds_receptor.size(), nk);
    check_size(t, "plasma", t.plasma_nM.size(), nt * nk);
    check_size(t, "brain", t.brain_nM.size(), nt * nk);
    check_size(t, "occupancy", t.occupancy.size(), nt * nk);
    check_size(t, "free_receptor", t.free_receptor.size(), nt);
    check_size(t, "effect", t.effect.size(), nt);
  }
}

void write_root_attributes(hid_t file, const ScenarioSpec& spec,
                           const std::vector<Trajectory>& arms, const WriteOptions& opts) {
  write_attr(file, "filetype", kResultsFileType);
  write_attr(file, "format_version", std::int64_t{kResultsFormatVersion});
  write_attr(file, "morsim_version", MORSIM_VERSION);
  write_attr(file, "git_sha", morsim_git_sha());
  write_attr(file, "created_utc", utc_now_iso8601());
  write_attr(file, "scenario", spec.name);
  write_attr(file, "description", spec.description);
  write_attr(file, "config", spec.config_text);
  write_attr(file, "config_path", opts.config_path);
  // The method that ran (every arm runs the same model), else the one asked for.
  const std::string ran = arms.empty() ? std::string() : arms.front().stats.method;
  write_attr(file, "solver", ran.empty() ? std::string(method_name(spec.solver.method)) : ran);
  write_attr(file, "rtol", spec.solver.rtol);
  write_attr(file, "atol", spec.solver.atol);
  write_attr(file, "atol_occupancy", spec.solver.atol_occupancy);
  write_attr(file, "binding_mode", binding_mode_name(spec.receptor.mode));
  write_attr(file, "operational_effect", std::int64_t{spec.receptor.operational_effect ? 1 : 0});
  for (const auto& [key, value] : opts.extra_attributes) {
    if (key.empty() || H5Aexists(file, key.c_str()) > 0)
      throw OutputError("extra attribute '" + key + "' is empty or reserved");
    write_attr(file, key, value);
  }
}

void write_arm_attributes(hid_t group, const Trajectory& t) {
  std::vector<std::string> agonists, antagonists;
  for (std::size_t k = 0; k < t.n_compounds(); ++k) {
    if (!t.binds_receptor[k]) continue;
    (t.is_agonist[k] ? agonists : antagonists).push_back(t.compounds[k]);
  }
  write_attr(group, "arm", t.arm);
  write_attr(group, "agonists", agonists);
  write_attr(group, "antagonists", antagonists);
  write_attr(group, "solver_steps", std::int64_t{t.stats.steps});
  write_attr(group, "solver_rejected_steps", std::int64_t{t.stats.rejected_steps});
  write_attr(group, "solver_rhs_evaluations", std::int64_t{t.stats.rhs_evaluations});
  write_attr(group, "solver_jacobian_evaluations", std::int64_t{t.stats.jacobian_evaluations});
  write_attr(group, "solver_segments", std::int64_t{t.stats.segments});
}

// The dose log as 1-D columns over a `dose` dimension rather than one compound-type table:
// h5netcdf/xarray cannot open compound types, and columns read as plain vectors in R/MATLAB.
void write_doses(hid_t arm_group, const std::vector<DoseLogEntry>& doses) {
  H5Id g = create_group(arm_group, "doses");
  std::vector<std::int32_t> index, steady;
  std::vector<double> applied, intended, amount;
  std::vector<std::string> compound, formulation, route, status;
  for (std::size_t i = 0; i < doses.size(); ++i) {
    const DoseLogEntry& d = doses[i];
    index.push_back(static_cast<std::int32_t>(i));
    applied.push_back(d.applied_time_h);
    intended.push_back(d.intended_time_h);
    compound.push_back(d.compound);
    formulation.push_back(d.formulation);
    route.push_back(d.route);
    amount.push_back(d.amount_mg);
    status.push_back(status_name(d.status));
    steady.push_back(d.steady_state ? 1 : 0);
  }
  const std::vector<hsize_t> n{doses.size()};
  const hid_t loc = g.get();
  H5Id dose = write_dataset(loc, "dose", index, "1", "dose number, in applied-time order");
  H5Id cols[] = {
      write_dataset(loc, "time_h", n, applied, "h", "time the dose was taken (intended + delay)"),
      write_dataset(loc, "intended_time_h", n, intended, "h", "scheduled time of the dose"),
      write_dataset(loc, "compound", compound, "", "compound dosed"),
      write_dataset(loc, "formulation", formulation, "", "formulation dosed"),
      write_dataset(loc, "route", route, "", "route of administration"),
      write_dataset(loc, "amount_mg", n, amount, "mg", "amount of the dosed form"),
      write_dataset(loc, "status", status, "", "taken, late or missed"),
      write_dataset(loc, "steady_state", steady, "1",
                    "1 if the dose starts at periodic steady state"),
  };
  make_dimension(dose, "dose", {}, 0);
  for (const H5Id& c : cols) attach_dimension(dose, c, 0, "dose");
}

void write_arm(hid_t file, const Trajectory& t) {
  H5Id g = create_group(file, t.arm);
  write_arm_attributes(g.get(), t);
  const hid_t loc = g.get();
  const std::vector<hsize_t> tk{t.n_times(), t.n_compounds()};
  const std::vector<hsize_t> tt{t.n_times()};
  H5Id time = write_dataset(loc, "time", tt, t.t_h, "h", "time since the start of the run");
  write_attr(time.get(), "axis", "T");  // netCDF/CF: this is the time coordinate
  H5Id compound = write_dataset(loc, "compound", t.compounds, "", "compound name");
  H5Id plasma = write_dataset(loc, "plasma", tk, t.plasma_nM, "nM", "plasma concentration");
  H5Id brain = write_dataset(loc, "brain", tk, t.brain_nM, "nM",
                             "brain (effect-site) concentration; 0 without a brain link");
  H5Id occ = write_dataset(loc, "occupancy", tk, t.occupancy, "1",
                           "fraction of receptors bound by the compound");
  H5Id free = write_dataset(loc, "free_receptor", tt, t.free_receptor, "1",
                            "fraction of receptors not bound by any compound");
  H5Id effect = write_dataset(loc, "effect", tt, t.effect, "1",
                              t.effect_modelled
                                  ? "agonist effect as a fraction of the maximum"
                                  : "not modelled: the receptor model has no operational effect "
                                    "(all NaN)");
  write_attr(effect.get(), "modelled", std::int64_t{t.effect_modelled ? 1 : 0});
  make_dimension(time, "time", {&plasma, &brain, &occ, &free, &effect}, 0);
  make_dimension(compound, "compound", {&plasma, &brain, &occ}, 1);
  write_doses(loc, t.doses);
}

void write_file(const std::string& partial, const ScenarioSpec& spec,
                const std::vector<Trajectory>& arms, const WriteOptions& opts) {
  H5Id fcpl(H5Pcreate(H5P_FILE_CREATE), H5Pclose, "create file properties");
  h5_check(H5Pset_link_creation_order(fcpl.get(), H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED),
           "track link creation order");
  H5Id file(H5Fcreate(partial.c_str(), H5F_ACC_EXCL, fcpl.get(), H5P_DEFAULT), H5Fclose,
            "create " + partial);
  write_root_attributes(file.get(), spec, arms, opts);
  for (const Trajectory& t : arms) write_arm(file.get(), t);
  for (const auto& write_group : opts.extra_groups) write_group(file.get());
  h5_check(H5Fflush(file.get(), H5F_SCOPE_GLOBAL), "flush " + partial);
  file.close("close " + partial);
}

}  // namespace

void write_results(const std::string& path, const ScenarioSpec& spec,
                   const std::vector<Trajectory>& arms, const WriteOptions& opts) {
  refuse_existing(path, opts.force);
  check_arms(arms);
  H5QuietErrors quiet;
  PartialFile partial(path);
  write_file(partial.path(), spec, arms, opts);
  partial.commit(opts.force);
}

}  // namespace morsim
