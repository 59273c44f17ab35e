// Chunked datasets created and allocated at full size (fill: NaN / pending) and filled in
// row blocks; the error table is an extendible compound dataset, written at close.
#include "sweep/sweep_file.hpp"

#include <hdf5_hl.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

#include "io/h5_read.hpp"
#include "io/h5_write.hpp"
#include "io/partial_file.hpp"
#include "model/errors.hpp"

namespace morsim::sweep {

namespace {

struct ErrorRow {
  std::int64_t index;
  const char* message;
};

H5Id string_type() {
  H5Id type(H5Tcopy(H5T_C_S1), H5Tclose, "copy the string type");
  h5_check(H5Tset_size(type.get(), H5T_VARIABLE), "make a variable-length string type");
  h5_check(H5Tset_cset(type.get(), H5T_CSET_UTF8), "set UTF-8");
  return type;
}

H5Id error_type() {
  H5Id t(H5Tcreate(H5T_COMPOUND, sizeof(ErrorRow)), H5Tclose, "create the error type");
  H5Id s = string_type();
  h5_check(H5Tinsert(t.get(), "index", HOFFSET(ErrorRow, index), H5T_NATIVE_INT64), "error.index");
  h5_check(H5Tinsert(t.get(), "message", HOFFSET(ErrorRow, message), s.get()), "error.message");
  return t;
}

H5Id space(const std::vector<hsize_t>& dims, const std::vector<hsize_t>* max = nullptr) {
  return H5Id(
      H5Screate_simple(static_cast<int>(dims.size()), dims.data(), max ? max->data() : nullptr),
      H5Sclose, "create a dataspace");
}

// Chunks of whole rows, allocated (and filled) now and not compressed: a compressed chunk
// moves whenever it is rewritten, which changes the chunk index and frees file space that a
// later allocation may overwrite, so a kill between two flushes could corrupt the file.
// Fixed chunks make a row write a plain overwrite of bytes the on-disk metadata already
// describes.
H5Id create_chunked(hid_t loc, const std::string& name, hid_t type, std::vector<hsize_t> dims,
                    hsize_t chunk_rows, const void* fill, const std::string& units,
                    const std::string& long_name) {
  std::vector<hsize_t> chunk = dims;
  chunk[0] = std::max<hsize_t>(1, std::min(chunk_rows, dims[0]));
  H5Id dcpl(H5Pcreate(H5P_DATASET_CREATE), H5Pclose, "dataset properties");
  h5_check(H5Pset_chunk(dcpl.get(), static_cast<int>(chunk.size()), chunk.data()), "chunk " + name);
  h5_check(H5Pset_alloc_time(dcpl.get(), H5D_ALLOC_TIME_EARLY), "allocate " + name);
  h5_check(H5Pset_fill_value(dcpl.get(), type, fill), "fill value " + name);
  h5_check(H5Pset_fill_time(dcpl.get(), H5D_FILL_TIME_ALLOC), "fill time " + name);
  H5Id s = space(dims);
  H5Id ds(H5Dcreate2(loc, name.c_str(), type, s.get(), H5P_DEFAULT, dcpl.get(), H5P_DEFAULT),
          H5Dclose, "create dataset " + name);
  if (!units.empty()) write_attr(ds.get(), "units", units);
  write_attr(ds.get(), "long_name", long_name);
  return ds;
}

H5Id open_ds(hid_t loc, const std::string& name) {
  H5Id dapl(H5Pcreate(H5P_DATASET_ACCESS), H5Pclose, "dataset access properties");
  h5_check(H5Pset_chunk_cache(dapl.get(), 12421, 32u << 20, 1.0), "chunk cache");
  return H5Id(H5Dopen2(loc, name.c_str(), dapl.get()), H5Dclose, "open dataset " + name);
}

void write_block(const H5Id& ds, hid_t mem_type, const std::vector<hsize_t>& start,
                 const std::vector<hsize_t>& count, const void* data) {
  H5Id fs(H5Dget_space(ds.get()), H5Sclose, "dataset space");
  h5_check(
      H5Sselect_hyperslab(fs.get(), H5S_SELECT_SET, start.data(), nullptr, count.data(), nullptr),
      "select rows");
  H5Id ms = space(count);
  h5_check(H5Dwrite(ds.get(), mem_type, ms.get(), fs.get(), H5P_DEFAULT, data), "write rows");
}

// The sweep text and size must match: a resumed file continues the same sweep.
void check_same(hid_t file, const std::string& path, const SweepSpec& sw) {
  if (!has_attr(file, "sweep_text") || read_attr_string(file, "sweep_text") != sw.text)
    throw OutputError(path +
                      " was written by a different sweep file; cannot resume (use --force "
                      "to start over)");
  if (!has_attr(file, "n_scenarios") ||
      static_cast<std::uint64_t>(read_attr_int(file, "n_scenarios")) != sw.design->size())
    throw OutputError(path + ": scenario count differs; cannot resume");
}

void write_complete(hid_t file, bool complete) {
  H5Id a(H5Aopen(file, "complete", H5P_DEFAULT), H5Aclose, "open attribute complete");
  const std::int64_t v = complete ? 1 : 0;
  h5_check(H5Awrite(a.get(), H5T_NATIVE_INT64, &v), "write attribute complete");
  a.close("close attribute complete");
}

}  // namespace

SweepFile::SweepFile(H5Id file, std::string path, std::uint64_t n, std::size_t p, std::size_t m,
                     std::size_t t)
    : file_(std::move(file)), path_(std::move(path)), n_(n), p_(p), m_(m), t_(t) {}

void SweepFile::open_datasets() {
  const hid_t f = file_.get();
  params_.emplace(open_ds(f, "/sweep/parameters"));
  metrics_.emplace(open_ds(f, "/sweep/metrics"));
  status_.emplace(open_ds(f, "/sweep/status"));
  if (t_ > 0) traj_.emplace(open_ds(f, "/sweep/trajectories"));
  errors_.emplace(open_ds(f, "/sweep/errors"));
  H5Id s(H5Dget_space(errors_->get()), H5Sclose, "error space");
  hsize_t ne = 0;
  H5Sget_simple_extent_dims(s.get(), &ne, nullptr);
  n_errors_ = ne;
}

SweepFile SweepFile::create(const std::string& path, const SweepSpec& sw) {
  H5QuietErrors quiet;
  // Built under a temporary name and moved to `path` once flushed, before the first scenario
  // runs: whenever the process dies, `path` is either absent or a valid file whose status says
  // what is done. A file that cannot be completed (e.g. a full disk) is removed.
  PartialFile partial(path);
  SweepFile out = create_layout(partial.path(), sw);
  out.flush();
  partial.commit(true);  // replaces an existing file: callers check refusal first
  out.path_ = path;
  return out;
}

SweepFile SweepFile::create_layout(const std::string& path, const SweepSpec& sw) {
  H5Id file(H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT), H5Fclose,
            "create " + path);
  const std::uint64_t n = sw.design->size();
  const std::size_t p = sw.parameters.size(), m = sw.metrics.size(), t = sw.trajectory_points();
  write_attr(file.get(), "filetype", std::string("morsim-sweep"));
  write_attr(file.get(), "format_version", std::int64_t{1});
  write_attr(file.get(), "sweep_text", sw.text);
  write_attr(file.get(), "sweep_path", sw.path);
  write_attr(file.get(), "base_scenario_text", sw.base.config_text);
  write_attr(file.get(), "seed", static_cast<std::int64_t>(sw.seed));
  write_attr(file.get(), "design", to_string(sw.design->kind()));
  write_attr(file.get(), "n_scenarios", static_cast<std::int64_t>(n));
  write_attr(file.get(), "complete", std::int64_t{0});
  write_attr(file.get(), "software", std::string("morsim ") + MORSIM_VERSION);
  H5Id g = create_group(file.get(), "sweep");
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const std::int8_t pending = kPending;
  constexpr hsize_t kRows = 4096;
  H5Id pd = create_chunked(g.get(), "parameters", H5T_IEEE_F64LE, {n, p}, kRows, &nan, "",
                           "parameter values of each scenario");
  H5Id md = create_chunked(g.get(), "metrics", H5T_IEEE_F64LE, {n, m}, kRows, &nan, "",
                           "metrics of each scenario (NaN: failed)");
  write_attr(pd.get(), "units", sw.parameter_units());
  write_attr(md.get(), "units", sw.metric_units());
  H5Id sd = create_chunked(g.get(), "status", H5T_STD_I8LE, {n}, 1 << 16, &pending, "1",
                           "0 pending, 1 done, 2 failed (see /sweep/errors)");
  // The scenario index on axis 0 of every per-scenario dataset, so that netCDF readers
  // (xarray) see one named dimension; written in slices, as a sweep may be large.
  const std::int64_t zero = 0;
  H5Id sc = create_chunked(g.get(), "scenario", H5T_STD_I64LE, {n}, 1 << 16, &zero, "1",
                           "scenario index (row of parameters, metrics and status)");
  {
    constexpr hsize_t kSlice = 1 << 16;
    std::vector<std::int64_t> ids(static_cast<std::size_t>(std::min<hsize_t>(kSlice, n)));
    for (hsize_t s0 = 0; s0 < n; s0 += kSlice) {
      const hsize_t c = std::min(kSlice, n - s0);
      for (hsize_t k = 0; k < c; ++k) ids[k] = static_cast<std::int64_t>(s0 + k);
      write_block(sc, H5T_NATIVE_INT64, {s0}, {c}, ids.data());
    }
  }
  make_dimension(sc, "scenario", {&pd, &md, &sd}, 0);
  H5Id pn = write_dataset(g.get(), "parameter", sw.parameter_names(), "1", "parameter path");
  write_attr(pn.get(), "value_units", sw.parameter_units());
  make_dimension(pn, "parameter", {&pd}, 1);
  H5Id mn = write_dataset(g.get(), "metric", sw.metric_names(), "1", "metric name");
  write_attr(mn.get(), "value_units", sw.metric_units());
  make_dimension(mn, "metric", {&md}, 1);
  if (t > 0) {
    H5Id td = create_chunked(g.get(), "trajectories", H5T_IEEE_F64LE, {n, t, 2}, 256, &nan, "1",
                             "agonist and antagonist occupancy after the challenge");
    std::vector<double> times(t);
    for (std::size_t k = 0; k < t; ++k) times[k] = static_cast<double>(k) * sw.trajectory_step_h;
    H5Id tt =
        write_dataset(g.get(), "trajectory_time", {t}, times, "h", "time after the challenge");
    make_dimension(tt, "trajectory_time", {&td}, 1);
    H5Id kind =
        write_dataset(g.get(), "occupancy_kind", std::vector<std::string>{"agonist", "antagonist"},
                      "1", "summed occupancy of agonists / antagonists");
    make_dimension(kind, "occupancy_kind", {&td}, 2);
    attach_dimension(sc, td, 0, "scenario");
  }
  {
    H5Id type = error_type();
    const std::vector<hsize_t> dims{0}, max{H5S_UNLIMITED}, chunk{256};
    H5Id s = space(dims, &max);
    H5Id dcpl(H5Pcreate(H5P_DATASET_CREATE), H5Pclose, "error properties");
    h5_check(H5Pset_chunk(dcpl.get(), 1, chunk.data()), "chunk errors");
    H5Id ed(
        H5Dcreate2(g.get(), "errors", type.get(), s.get(), H5P_DEFAULT, dcpl.get(), H5P_DEFAULT),
        H5Dclose, "create /sweep/errors");
    write_attr(ed.get(), "long_name", "scenario index and reason of each failed scenario");
    // Its own dimension scale: xarray opens the group with the table as an `errors`
    // coordinate instead of refusing an axis without a name.
    make_dimension(ed, "errors", {}, 0);
  }
  SweepFile out(std::move(file), path, n, p, m, t);
  out.open_datasets();
  return out;
}

SweepFile SweepFile::open_for_resume(const std::string& path, const SweepSpec& sw) {
  H5QuietErrors quiet;
  H5Id file(H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT), H5Fclose, "open " + path);
  check_same(file.get(), path, sw);
  SweepFile out(std::move(file), path, sw.design->size(), sw.parameters.size(), sw.metrics.size(),
                sw.trajectory_points());
  out.open_datasets();
  const hsize_t zero = 0;
  h5_check(H5Dset_extent(out.errors_->get(), &zero), "clear /sweep/errors");
  out.n_errors_ = 0;
  write_complete(out.file_.get(), false);
  // These are the last metadata changes before close(): on disk now, so that a kill later
  // finds them whole.
  out.flush();
  return out;
}

void SweepFile::check_same_sweep(const std::string& path, const SweepSpec& sw) {
  H5QuietErrors quiet;
  H5Id file(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose, "open " + path);
  check_same(file.get(), path, sw);
}

bool SweepFile::is_complete(const std::string& path) {
  H5QuietErrors quiet;
  const hid_t f = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  if (f < 0) return false;
  H5Id file(f, H5Fclose, "open " + path);
  return has_attr(f, "complete") && read_attr_int(f, "complete") == 1;
}

void SweepFile::read_status(std::uint64_t start, std::uint64_t count, std::int8_t* out) const {
  H5Id fs(H5Dget_space(status_->get()), H5Sclose, "status space");
  const hsize_t s = start, c = count;
  h5_check(H5Sselect_hyperslab(fs.get(), H5S_SELECT_SET, &s, nullptr, &c, nullptr),
           "select status");
  H5Id ms = space({c});
  h5_check(H5Dread(status_->get(), H5T_NATIVE_INT8, ms.get(), fs.get(), H5P_DEFAULT, out),
           "read /sweep/status");
}

void SweepFile::write_rows(std::uint64_t start, std::uint64_t count, const double* params,
                           const double* metrics, const double* traj, const std::int8_t* status) {
  write_values(start, count, params, metrics, traj);
  // Status last: a row is marked done only after its values are written.
  write_status(start, count, status);
}

void SweepFile::write_values(std::uint64_t start, std::uint64_t count, const double* params,
                             const double* metrics, const double* traj) {
  if (p_ > 0) write_block(*params_, H5T_NATIVE_DOUBLE, {start, 0}, {count, p_}, params);
  if (m_ > 0) write_block(*metrics_, H5T_NATIVE_DOUBLE, {start, 0}, {count, m_}, metrics);
  if (t_ > 0) write_block(*traj_, H5T_NATIVE_DOUBLE, {start, 0, 0}, {count, t_, 2}, traj);
}

void SweepFile::write_status(std::uint64_t start, std::uint64_t count, const std::int8_t* status) {
  write_block(*status_, H5T_NATIVE_INT8, {start}, {count}, status);
}

void SweepFile::append_errors(const std::vector<ScenarioError>& errors) {
  unwritten_errors_.insert(unwritten_errors_.end(), errors.begin(), errors.end());
}

void SweepFile::write_errors() {
  if (unwritten_errors_.empty()) return;
  std::vector<ErrorRow> rows;
  for (const ScenarioError& e : unwritten_errors_)
    rows.push_back({static_cast<std::int64_t>(e.index), e.message.c_str()});
  const hsize_t new_size = n_errors_ + rows.size();
  h5_check(H5Dset_extent(errors_->get(), &new_size), "extend /sweep/errors");
  H5Id type = error_type();
  H5Id fs(H5Dget_space(errors_->get()), H5Sclose, "error space");
  const hsize_t start = n_errors_, count = rows.size();
  h5_check(H5Sselect_hyperslab(fs.get(), H5S_SELECT_SET, &start, nullptr, &count, nullptr),
           "select errors");
  H5Id ms = space({count});
  h5_check(H5Dwrite(errors_->get(), type.get(), ms.get(), fs.get(), H5P_DEFAULT, rows.data()),
           "write /sweep/errors");
  n_errors_ = new_size;
  unwritten_errors_.clear();
}

void SweepFile::verify_finished() const {
  constexpr std::uint64_t kSlice = 1 << 16;
  std::vector<std::int8_t> st(static_cast<std::size_t>(std::min<std::uint64_t>(kSlice, n_)));
  std::uint64_t pending = 0, failed = 0;
  for (std::uint64_t s = 0; s < n_; s += kSlice) {
    const std::uint64_t c = std::min(kSlice, n_ - s);
    read_status(s, c, st.data());
    pending += static_cast<std::uint64_t>(std::count(st.begin(), st.begin() + c, kPending));
    failed += static_cast<std::uint64_t>(std::count(st.begin(), st.begin() + c, kFailed));
  }
  if (pending > 0 || failed != n_errors_)
    throw OutputError(path_ + ": check before marking complete failed: " + std::to_string(pending) +
                      " scenarios pending, " + std::to_string(failed) + " failed but " +
                      std::to_string(n_errors_) +
                      " errors recorded; left incomplete (continue with --resume)");
}

void SweepFile::flush() {
  h5_check(H5Fflush(file_.get(), H5F_SCOPE_GLOBAL), "flush the sweep file");
}

void SweepFile::close(bool complete) {
  write_errors();
  flush();  // every row and error on disk before they are checked and marked complete
  if (complete) {
    verify_finished();
    write_complete(file_.get(), true);
  }
  params_.reset();
  metrics_.reset();
  status_.reset();
  traj_.reset();
  errors_.reset();
  file_.close("close the sweep file");
}

}  // namespace morsim::sweep
