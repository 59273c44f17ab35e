// A plain uncompressed chunked HDF5 file: chunks are written whole, so no read-modify-write.
#include "population/occupancy_scratch.hpp"

#include <unistd.h>

#include <algorithm>

namespace morsim::population {

OccupancyScratch::OccupancyScratch(std::string path, std::size_t series, std::size_t subjects,
                                   std::size_t times, std::size_t subject_chunk)
    : path_(std::move(path)),
      on_signal_(path_),
      subjects_(subjects),
      times_(times),
      file_(H5Fcreate(path_.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT), H5Fclose,
            "create scratch file " + path_) {
  const hsize_t dims[2] = {subjects, times};
  const hsize_t chunk[2] = {std::min<hsize_t>(subjects, std::max<std::size_t>(subject_chunk, 1)),
                            std::min<hsize_t>(times, kTimeChunk)};
  H5Id space(H5Screate_simple(2, dims, nullptr), H5Sclose, "create scratch space");
  H5Id plist(H5Pcreate(H5P_DATASET_CREATE), H5Pclose, "create scratch properties");
  h5_check(H5Pset_chunk(plist.get(), 2, chunk), "chunk scratch dataset");
  for (std::size_t s = 0; s < series; ++s)
    datasets_.emplace_back(
        H5Dcreate2(file_.get(), ("s" + std::to_string(s)).c_str(), H5T_NATIVE_FLOAT, space.get(),
                   H5P_DEFAULT, plist.get(), H5P_DEFAULT),
        H5Dclose, "create scratch dataset");
}

OccupancyScratch::~OccupancyScratch() {
  H5QuietErrors quiet;  // closing after a failed write fails again: nothing new to say
  datasets_.clear();
  try {
    file_.close("close scratch file");
  } catch (...) {  // nothing to report: the file is removed next
  }
  unlink(path_.c_str());
}

void OccupancyScratch::write_rows(std::size_t series, std::size_t first_subject, std::size_t count,
                                  const float* rows) {
  H5QuietErrors quiet;  // per thread: a failed write is reported once, as an OutputError
  const hid_t ds = datasets_[series].get();
  H5Id fspace(H5Dget_space(ds), H5Sclose, "scratch file space");
  const hsize_t start[2] = {first_subject, 0}, cnt[2] = {count, times_};
  h5_check(H5Sselect_hyperslab(fspace.get(), H5S_SELECT_SET, start, nullptr, cnt, nullptr),
           "select scratch rows");
  H5Id mspace(H5Screate_simple(2, cnt, nullptr), H5Sclose, "scratch memory space");
  h5_check(H5Dwrite(ds, H5T_NATIVE_FLOAT, mspace.get(), fspace.get(), H5P_DEFAULT, rows),
           "write scratch rows");
}

void OccupancyScratch::read_columns(std::size_t series, std::size_t first_t, std::size_t count_t,
                                    float* out) {
  H5QuietErrors quiet;
  const hid_t ds = datasets_[series].get();
  H5Id fspace(H5Dget_space(ds), H5Sclose, "scratch file space");
  const hsize_t start[2] = {0, first_t}, cnt[2] = {subjects_, count_t};
  h5_check(H5Sselect_hyperslab(fspace.get(), H5S_SELECT_SET, start, nullptr, cnt, nullptr),
           "select scratch columns");
  H5Id mspace(H5Screate_simple(2, cnt, nullptr), H5Sclose, "scratch memory space");
  h5_check(H5Dread(ds, H5T_NATIVE_FLOAT, mspace.get(), fspace.get(), H5P_DEFAULT, out),
           "read scratch columns");
}

}  // namespace morsim::population
