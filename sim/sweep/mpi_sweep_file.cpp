// Collective writes of row-block unions: files of older versions have deflated chunks, which
// parallel HDF5 writes only collectively, so every rank takes part in each write (a rank
// without rows selects nothing).
#if MORSIM_WITH_MPI

#include "sweep/mpi_sweep_file.hpp"

#include <algorithm>

#include "io/h5_handle.hpp"

namespace morsim::sweep {

namespace {

H5Id open_ds_for_ranks(hid_t loc, const std::string& name) {
  return H5Id(H5Dopen2(loc, name.c_str(), H5P_DEFAULT), H5Dclose, "open dataset " + name);
}

void write_selection(const H5Id& ds, hid_t mem_type, const RowRanges& ranges,
                     const std::vector<hsize_t>& row_shape, const void* data, hid_t dxpl) {
  H5Id fs(H5Dget_space(ds.get()), H5Sclose, "dataset space");
  std::vector<hsize_t> start(1 + row_shape.size(), 0), count(1 + row_shape.size());
  std::copy(row_shape.begin(), row_shape.end(), count.begin() + 1);
  hsize_t rows = 0;
  for (const auto& [s, c] : ranges) {
    start[0] = s;
    count[0] = c;
    h5_check(H5Sselect_hyperslab(fs.get(), rows ? H5S_SELECT_OR : H5S_SELECT_SET, start.data(),
                                 nullptr, count.data(), nullptr),
             "select rows");
    rows += c;
  }
  count[0] = std::max<hsize_t>(rows, 1);
  H5Id ms(H5Screate_simple(static_cast<int>(count.size()), count.data(), nullptr), H5Sclose,
          "create a dataspace");
  if (rows == 0) {
    h5_check(H5Sselect_none(fs.get()), "select no rows");
    h5_check(H5Sselect_none(ms.get()), "select no rows");
  }
  static const double dummy = 0.0;  // HDF5 wants a buffer even for an empty selection
  h5_check(H5Dwrite(ds.get(), mem_type, ms.get(), fs.get(), dxpl, rows ? data : &dummy),
           "write rows (parallel)");
}

}  // namespace

MpiSweepFile::MpiSweepFile(const std::string& path, std::size_t p, std::size_t m, std::size_t t,
                           MPI_Comm comm)
    : file_([&] {
        H5QuietErrors quiet;
        H5Id fapl(H5Pcreate(H5P_FILE_ACCESS), H5Pclose, "file access properties");
        h5_check(H5Pset_fapl_mpio(fapl.get(), comm, MPI_INFO_NULL), "select the MPI-IO driver");
        return H5Id(H5Fopen(path.c_str(), H5F_ACC_RDWR, fapl.get()), H5Fclose,
                    "open " + path + " for parallel writing");
      }()),
      dxpl_(H5Pcreate(H5P_DATASET_XFER), H5Pclose, "transfer properties"),
      p_(p),
      m_(m),
      t_(t) {
  h5_check(H5Pset_dxpl_mpio(dxpl_.get(), H5FD_MPIO_COLLECTIVE), "collective transfers");
  const hid_t f = file_.get();
  params_.emplace(open_ds_for_ranks(f, "/sweep/parameters"));
  metrics_.emplace(open_ds_for_ranks(f, "/sweep/metrics"));
  status_.emplace(open_ds_for_ranks(f, "/sweep/status"));
  if (t_ > 0) traj_.emplace(open_ds_for_ranks(f, "/sweep/trajectories"));
}

void MpiSweepFile::write_rows(const RowRanges& ranges, const double* params, const double* metrics,
                              const double* traj, const std::int8_t* status) {
  const hid_t x = dxpl_.get();
  if (p_ > 0) write_selection(*params_, H5T_NATIVE_DOUBLE, ranges, {p_}, params, x);
  if (m_ > 0) write_selection(*metrics_, H5T_NATIVE_DOUBLE, ranges, {m_}, metrics, x);
  if (t_ > 0) write_selection(*traj_, H5T_NATIVE_DOUBLE, ranges, {t_, 2}, traj, x);
  write_selection(*status_, H5T_NATIVE_INT8, ranges, {}, status, x);
}

void MpiSweepFile::flush() {
  h5_check(H5Fflush(file_.get(), H5F_SCOPE_GLOBAL), "flush the sweep file");
}

void MpiSweepFile::close() {
  params_.reset();
  metrics_.reset();
  status_.reset();
  traj_.reset();
  file_.close("close the sweep file (parallel)");
}

}  // namespace morsim::sweep

#endif  // MORSIM_WITH_MPI
