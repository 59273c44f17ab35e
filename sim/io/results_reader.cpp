// list_arms and read_arm: reading back the layout written by results_writer.cpp.
#include <hdf5.h>

#include <algorithm>

#include "io/h5_handle.hpp"
#include "io/h5_read.hpp"
#include "io/results_file.hpp"
#include "model/errors.hpp"

namespace morsim {

namespace {

H5Id open_results(const std::string& path) {
  H5Id file(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose, "open " + path);
  if (!has_attr(file.get(), "filetype") ||
      read_attr_string(file.get(), "filetype") != kResultsFileType)
    throw OutputError(path + " is not a morsim results file (no filetype=\"" +
                      std::string(kResultsFileType) + "\")");
  const std::int64_t version = read_attr_int(file.get(), "format_version");
  if (version > kResultsFormatVersion)
    throw OutputError(path + " has format version " + std::to_string(version) +
                      "; this morsim reads up to " + std::to_string(kResultsFormatVersion));
  return file;
}

herr_t collect_group(hid_t loc, const char* name, const H5L_info_t* /*info*/, void* out) {
  // H5Iget_type on the opened object: unlike H5Oget_info, the same call in HDF5 1.10 and 1.12.
  const hid_t obj = H5Oopen(loc, name, H5P_DEFAULT);
  if (obj < 0) return -1;
  // Arm groups hold a time grid; lesson groups (/lesson, /schild, /surmount) do not.
  const bool is_arm = H5Iget_type(obj) == H5I_GROUP && H5Lexists(obj, "time", H5P_DEFAULT) > 0;
  H5Oclose(obj);
  if (is_arm) static_cast<std::vector<std::string>*>(out)->push_back(name);
  return 0;
}

DoseStatus parse_status(const std::string& s) {
  if (s == "late") return DoseStatus::kLate;
  if (s == "missed") return DoseStatus::kMissed;
  return DoseStatus::kTaken;
}

std::vector<DoseLogEntry> read_doses(hid_t arm_group) {
  if (!has_link(arm_group, "doses")) return {};
  H5Id g(H5Gopen2(arm_group, "doses", H5P_DEFAULT), H5Gclose, "open group doses");
  const hid_t loc = g.get();
  const auto applied = read_doubles(loc, "time_h");
  const auto intended = read_doubles(loc, "intended_time_h");
  const auto compound = read_strings(loc, "compound");
  const auto formulation = read_strings(loc, "formulation");
  const auto route = read_strings(loc, "route");
  const auto amount = read_doubles(loc, "amount_mg");
  const auto status = read_strings(loc, "status");
  const auto steady = read_ints(loc, "steady_state");
  const std::size_t n = applied.size();
  for (std::size_t size : {intended.size(), compound.size(), formulation.size(), route.size(),
                           amount.size(), status.size(), steady.size()})
    if (size != n) throw OutputError("HDF5: dose table columns differ in length");
  std::vector<DoseLogEntry> out(n);
  for (std::size_t i = 0; i < n; ++i)
    out[i] = {intended[i],
              applied[i],
              compound[i],
              formulation[i],
              route[i],
              amount[i],
              parse_status(status[i]),
              steady[i] != 0};
  return out;
}

void read_stats(hid_t g, SolverStats& s) {
  s.steps = read_attr_int(g, "solver_steps");
  s.rejected_steps = read_attr_int(g, "solver_rejected_steps");
  s.rhs_evaluations = read_attr_int(g, "solver_rhs_evaluations");
  s.jacobian_evaluations = read_attr_int(g, "solver_jacobian_evaluations");
  s.segments = read_attr_int(g, "solver_segments");
}

std::vector<double> read_table(hid_t g, const std::string& name, hsize_t nt, hsize_t nk) {
  std::vector<hsize_t> dims;
  std::vector<double> v = read_doubles(g, name, &dims);
  if (dims != std::vector<hsize_t>{nt, nk})
    throw OutputError("HDF5: " + name + " is not (time, compound) shaped");
  return v;
}

}  // namespace

std::vector<std::string> list_arms(const std::string& path) {
  H5QuietErrors quiet;
  H5Id file = open_results(path);
  std::vector<std::string> arms;
  // Creation order when the file tracks it (ours do), name order otherwise.
  hsize_t idx = 0;
  if (H5Literate(file.get(), H5_INDEX_CRT_ORDER, H5_ITER_INC, &idx, collect_group, &arms) < 0) {
    arms.clear();
    idx = 0;
    h5_check(H5Literate(file.get(), H5_INDEX_NAME, H5_ITER_INC, &idx, collect_group, &arms),
             "list the groups of " + path);
  }
  return arms;
}

StoredConfig read_stored_config(const std::string& path) {
  H5QuietErrors quiet;
  H5Id file = open_results(path);
  StoredConfig c;
  if (has_attr(file.get(), "config")) c.text = read_attr_string(file.get(), "config");
  if (has_attr(file.get(), "config_path")) c.path = read_attr_string(file.get(), "config_path");
  return c;
}

Trajectory read_arm(const std::string& path, const std::string& arm) {
  H5QuietErrors quiet;
  H5Id file = open_results(path);
  if (!has_link(file.get(), arm)) throw OutputError(path + " has no arm named " + arm);
  H5Id g(H5Gopen2(file.get(), arm.c_str(), H5P_DEFAULT), H5Gclose, "open group " + arm);
  const hid_t loc = g.get();
  Trajectory t;
  t.arm = arm;
  t.compounds = read_strings(loc, "compound");
  t.t_h = read_doubles(loc, "time");
  const hsize_t nt = t.t_h.size(), nk = t.compounds.size();
  t.plasma_nM = read_table(loc, "plasma", nt, nk);
  t.brain_nM = read_table(loc, "brain", nt, nk);
  t.occupancy = read_table(loc, "occupancy", nt, nk);
  t.free_receptor = read_doubles(loc, "free_receptor");
  t.effect = read_doubles(loc, "effect");
  // Files written before the setting existed have no attribute: their effect is modelled.
  if (has_attr(file.get(), "operational_effect"))
    t.effect_modelled = read_attr_int(file.get(), "operational_effect") != 0;
  if (t.free_receptor.size() != nt || t.effect.size() != nt)
    throw OutputError("HDF5: free_receptor/effect do not match the time axis");
  const auto agonists = read_attr_strings(loc, "agonists");
  const auto antagonists = read_attr_strings(loc, "antagonists");
  auto contains = [](const std::vector<std::string>& v, const std::string& s) {
    return std::find(v.begin(), v.end(), s) != v.end();
  };
  for (const std::string& c : t.compounds) {
    t.is_agonist.push_back(contains(agonists, c));
    t.binds_receptor.push_back(contains(agonists, c) || contains(antagonists, c));
  }
  t.doses = read_doses(loc);
  read_stats(loc, t.stats);
  return t;
}

}  // namespace morsim
