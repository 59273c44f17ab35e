// Fit results as 1-D columns over named dimensions (parameter, observation, time), like the
// results file, so that h5py, xarray, R and MATLAB read them as plain vectors.
#include "fit/fit_file.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <ctime>

#include "io/build_info.hpp"
#include "io/h5_write.hpp"
#include "io/partial_file.hpp"
#include "io/subprocess.hpp"
#include "model/errors.hpp"
#include "resources/resources.hpp"

#ifndef MORSIM_VERSION
#define MORSIM_VERSION "unknown"
#endif

namespace morsim {

namespace {

using fit::Dataset;
using fit::DatasetFit;
using fit::FitResult;
using fit::FitSpec;

std::string utc_now() {
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return buf;
}

void write_root(hid_t file, const FitSpec& spec, const FitWriteOptions& opts) {
  write_attr(file, "filetype", kFitFileType);
  write_attr(file, "format_version", static_cast<std::int64_t>(kFitFormatVersion));
  write_attr(file, "morsim_version", MORSIM_VERSION);
  write_attr(file, "git_sha", morsim_git_sha());
  write_attr(file, "created_utc", utc_now());
  write_attr(file, "command", opts.command);
  write_attr(file, "name", spec.name);
  write_attr(file, "description", spec.description);
  write_attr(file, "config", spec.text);
  write_attr(file, "config_path", spec.path);
}

void write_summary(hid_t g, const FitSpec& spec, const FitResult& r) {
  write_attr(g, "objective_start", r.objective_start);
  write_attr(g, "objective", r.objective);
  write_attr(g, "iterations", static_cast<std::int64_t>(r.iterations));
  write_attr(g, "seconds", r.seconds);
  write_attr(g, "termination", r.termination);
  write_attr(g, "message", r.message);
  write_attr(g, "reduced_chi_square", r.reduced_chi_square);
  write_attr(g, "n_residuals", static_cast<std::int64_t>(r.n_residuals));
  write_attr(g, "n_parameters", static_cast<std::int64_t>(r.parameters.size()));
  write_attr(g, "simulations", static_cast<std::int64_t>(r.simulations));
  write_attr(g, "threads", static_cast<std::int64_t>(r.threads));
  write_attr(g, "not_identified", r.not_identified);
  std::vector<std::string> names;
  for (const Dataset& d : spec.datasets) names.push_back(d.name);
  write_attr(g, "datasets", names);
}

void write_parameters(hid_t fit_group, const FitSpec& spec, const FitResult& r) {
  H5Id g = create_group(fit_group, "parameters");
  const hsize_t n = r.parameters.size();
  std::vector<std::string> path, unit, scale;
  std::vector<double> initial, estimate, se, lower, upper;
  std::vector<std::int32_t> identified, at_bound;
  for (std::size_t i = 0; i < r.parameters.size(); ++i) {
    const fit::ParameterEstimate& e = r.parameters[i];
    path.push_back(e.path);
    unit.push_back(e.unit);
    scale.push_back(fit::to_string(spec.parameters[i].scale));
    initial.push_back(e.initial);
    estimate.push_back(e.estimate);
    se.push_back(e.standard_error);
    lower.push_back(e.lower);
    upper.push_back(e.upper);
    identified.push_back(e.identified ? 1 : 0);
    at_bound.push_back(e.at_bound ? 1 : 0);
  }
  const hid_t loc = g.get();
  H5Id p = write_dataset(loc, "path", path, "", "override path of the parameter");
  const char* in_unit = "see unit";
  std::vector<H5Id> cols;
  cols.push_back(write_dataset(loc, "unit", unit, "", "unit of the values (as initial)"));
  cols.push_back(write_dataset(loc, "scale", scale, "", "log or linear: the coordinate fitted"));
  cols.push_back(write_dataset(loc, "initial", {n}, initial, in_unit, "starting value"));
  cols.push_back(write_dataset(loc, "estimate", {n}, estimate, in_unit, "least-squares estimate"));
  cols.push_back(write_dataset(loc, "standard_error", {n}, se, in_unit,
                               "standard error from (J^T J)^-1 by the delta method; NaN when "
                               "not identified"));
  cols.push_back(write_dataset(loc, "lower", {n}, lower, in_unit, "lower bound (-inf: none)"));
  cols.push_back(write_dataset(loc, "upper", {n}, upper, in_unit, "upper bound (inf: none)"));
  cols.push_back(write_dataset(loc, "identified", identified, "1",
                               "1 if the data determine the parameter, 0 if it is in the null "
                               "space of the Jacobian"));
  cols.push_back(
      write_dataset(loc, "at_bound", at_bound, "1", "1 if the estimate sits on a bound"));
  std::vector<const H5Id*> ptrs;
  for (const H5Id& c : cols) ptrs.push_back(&c);
  make_dimension(p, "path", ptrs, 0);
  // netCDF readers see dimensions of a group and its parents only: /fit gets its own scale.
  H5Id names = write_dataset(fit_group, "parameter", path, "", "override path of the parameter");
  H5Id other = write_dataset(fit_group, "parameter_column", path, "",
                             "override path of the parameter (correlation columns)");
  H5Id corr = write_dataset(fit_group, "correlation", {n, n}, r.correlation, "1",
                            "correlation of the estimates; NaN for parameters not identified");
  H5Id sv = write_dataset(fit_group, "singular_values", {n}, r.singular_values, "1",
                          "singular values of the weighted-residual Jacobian in fitted "
                          "coordinates, descending (not per parameter)");
  make_dimension(names, "parameter", {&corr}, 0);
  make_dimension(other, "parameter_column", {&corr}, 1);
  std::vector<std::int32_t> order(n);
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = static_cast<std::int32_t>(i);
  H5Id k = write_dataset(fit_group, "singular_value", order, "1", "index of the singular value");
  make_dimension(k, "singular_value", {&sv}, 0);
}

void write_dataset_group(hid_t parent, const Dataset& d, const DatasetFit& f) {
  H5Id g = create_group(parent, d.name);
  const hid_t loc = g.get();
  write_attr(loc, "quantity", fit::to_string(d.quantity));
  write_attr(loc, "statistic", fit::to_string(d.statistic));
  std::vector<std::string> compounds;
  for (std::size_t k : d.compounds) compounds.push_back(d.base.compounds[k].name);
  write_attr(loc, "compounds", compounds);
  write_attr(loc, "unit", d.value_unit);
  write_attr(loc, "log", static_cast<std::int64_t>(d.log ? 1 : 0));
  write_attr(loc, "file", d.csv_path);
  write_attr(loc, "scenario", d.scenario.path);
  write_attr(loc, "window_from_h", d.window_from_h);
  write_attr(loc, "window_to_h", d.window_to_h);
  write_attr(loc, "reference_time_h", d.reference_time_h);
  write_attr(
      loc, "reference_arm",
      d.statistic == fit::Statistic::kAucRatio ? d.base.arms[d.reference_arm].name : std::string());
  write_attr(loc, "tolerance", d.tolerance);
  write_attr(loc, "disagreement", d.disagreement);
  write_attr(loc, "max_deviation", f.max_deviation);
  const hsize_t n = d.rows.size();
  std::vector<std::int32_t> index, line;
  std::vector<double> time, observed, sigma;
  std::vector<std::string> group, arm;
  for (std::size_t j = 0; j < d.rows.size(); ++j) {
    const fit::Observation& o = d.rows[j];
    index.push_back(static_cast<std::int32_t>(j));
    line.push_back(o.line);
    time.push_back(o.time_h);
    observed.push_back(o.value);
    sigma.push_back(o.sigma);
    group.push_back(o.group);
    arm.push_back(d.base.arms[o.arm].name);
  }
  H5Id obs = write_dataset(loc, "observation", index, "1", "row number among the observations");
  std::vector<H5Id> cols;
  cols.push_back(write_dataset(loc, "line", line, "1", "line in the CSV file"));
  cols.push_back(write_dataset(loc, "time_h", {n}, time, "h",
                               "time of the observation; NaN for window statistics"));
  cols.push_back(write_dataset(loc, "group", group, "", "the CSV's group cell"));
  cols.push_back(write_dataset(loc, "arm", arm, "", "scenario arm simulated for the row"));
  cols.push_back(write_dataset(loc, "observed", {n}, observed, d.value_unit, "observed value"));
  cols.push_back(write_dataset(loc, "sigma", {n}, sigma, d.value_unit,
                               "uncertainty of the observation (before any log transform)"));
  cols.push_back(
      write_dataset(loc, "model", {n}, f.model, d.value_unit, "model value at the estimate"));
  cols.push_back(write_dataset(loc, "weighted_residual", {n}, f.weighted, "1",
                               "(model - observed) / sigma, on the log scale when log = 1"));
  std::vector<const H5Id*> ptrs;
  for (const H5Id& c : cols) ptrs.push_back(&c);
  make_dimension(obs, "observation", ptrs, 0);
}

void write_curves(hid_t fit_group, const FitSpec& spec, const FitResult& r) {
  H5Id curves = create_group(fit_group, "curves");
  for (std::size_t di = 0; di < spec.datasets.size(); ++di) {
    H5Id g = create_group(curves.get(), spec.datasets[di].name);
    for (const fit::ModelCurve& c : r.curves) {
      if (c.dataset != di) continue;
      H5Id a = create_group(g.get(), c.arm);
      const hsize_t n = c.t_h.size();
      H5Id t = write_dataset(a.get(), "t_h", {n}, c.t_h, "h", "time");
      write_attr(t.get(), "axis", "T");
      H5Id y = write_dataset(
          a.get(), "model", {n}, c.y, c.unit,
          std::string("model ") + fit::to_string(spec.datasets[di].quantity) + " at the estimate");
      make_dimension(t, "t_h", {&y}, 0);
    }
  }
}

}  // namespace

void write_fit_file(const std::string& path, const FitSpec& spec, const FitResult& r,
                    const FitWriteOptions& opts) {
  refuse_existing(path, opts.force);
  H5QuietErrors quiet;
  PartialFile partial(path);
  {
    H5Id fcpl(H5Pcreate(H5P_FILE_CREATE), H5Pclose, "create file properties");
    h5_check(H5Pset_link_creation_order(fcpl.get(), H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED),
             "track link creation order");
    H5Id file(H5Fcreate(partial.path().c_str(), H5F_ACC_EXCL, fcpl.get(), H5P_DEFAULT), H5Fclose,
              "create " + partial.path());
    write_root(file.get(), spec, opts);
    H5Id g = create_group(file.get(), "fit");
    write_summary(g.get(), spec, r);
    write_parameters(g.get(), spec, r);
    {
      H5Id ds = create_group(g.get(), "datasets");
      for (std::size_t di = 0; di < spec.datasets.size(); ++di)
        write_dataset_group(ds.get(), spec.datasets[di], r.datasets[di]);
    }
    write_curves(g.get(), spec, r);
    g.close("close the fit group");
    h5_check(H5Fflush(file.get(), H5F_SCOPE_GLOBAL), "flush " + partial.path());
    file.close("close " + partial.path());
  }
  partial.commit(opts.force);
}

void plot_fit_file(const std::string& h5_path, const std::string& figure_path, bool force,
                   const std::string& python) {
  static const char* kScript = "sim/plot/morsim_fit_plot.py";
  const std::size_t dot = figure_path.find_last_of('.'), slash = figure_path.find_last_of('/');
  const std::string format = dot == std::string::npos || (slash != std::string::npos && dot < slash)
                                 ? ""
                                 : figure_path.substr(dot + 1);
  if (format != "png" && format != "svg" && format != "pdf")
    throw OutputError("figure " + figure_path + ": unknown format; use a .png, .svg or .pdf name");
  refuse_existing(figure_path, force);
  const char* text = find_resource(kScript);
  if (text == nullptr) throw OutputError(std::string(kScript) + " is not embedded in this build");
  const char* dir = std::getenv("TMPDIR");
  std::string script =
      std::string(dir != nullptr && *dir != '\0' ? dir : "/tmp") + "/morsim_fit_XXXXXX.py";
  const int fd = mkstemps(script.data(), 3);
  if (fd < 0) throw OutputError("cannot create " + script + ": " + std::strerror(errno));
  const std::size_t len = std::strlen(text);
  const bool ok = write(fd, text, len) == static_cast<ssize_t>(len);
  close(fd);
  struct Unlink {
    std::string p;
    ~Unlink() { unlink(p.c_str()); }
  } remove_script{script};
  if (!ok) throw OutputError("cannot write " + script);
  PartialFile partial(figure_path);
  const ProcessResult pr = run_process(
      {python, script, "--output=" + partial.path(), "--format=" + format, "--", h5_path});
  if (pr.exit_code != 0 || access(partial.path().c_str(), F_OK) != 0)
    throw OutputError("plotting " + h5_path + " failed (exit code " + std::to_string(pr.exit_code) +
                      ")" + (pr.stderr_text.empty() ? "" : ":\n" + pr.stderr_text));
  partial.commit(force);
}

}  // namespace morsim
