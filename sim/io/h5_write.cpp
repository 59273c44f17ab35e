// Writing attributes and datasets with checked HDF5 calls.
#include "io/h5_write.hpp"

#include <hdf5_hl.h>

#include <algorithm>

namespace morsim {

namespace {

// Growing columns (population dose logs: small integers and repeated strings) still deflate
// 3-4x, so they keep shuffle + deflate.
constexpr hsize_t kChunkTargetElements = 1 << 16;  // 512 KiB of doubles per chunk
constexpr unsigned kDeflateLevel = 4;              // near the size of 9 at a fraction of the time

H5Id utf8_string_type() {
  H5Id type(H5Tcopy(H5T_C_S1), H5Tclose, "copy the string type");
  h5_check(H5Tset_size(type.get(), H5T_VARIABLE), "make a variable-length string type");
  h5_check(H5Tset_cset(type.get(), H5T_CSET_UTF8), "set the UTF-8 character set");
  return type;
}

H5Id scalar_space() { return H5Id(H5Screate(H5S_SCALAR), H5Sclose, "create a scalar dataspace"); }

H5Id simple_space(const std::vector<hsize_t>& dims) {
  return H5Id(H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr), H5Sclose,
              "create a dataspace");
}

void write_attr_raw(hid_t loc, const std::string& name, hid_t file_type, hid_t mem_type,
                    const H5Id& space, const void* data) {
  H5Id attr(H5Acreate2(loc, name.c_str(), file_type, space.get(), H5P_DEFAULT, H5P_DEFAULT),
            H5Aclose, "create attribute " + name);
  h5_check(H5Awrite(attr.get(), mem_type, data), "write attribute " + name);
}

std::vector<const char*> c_strings(const std::vector<std::string>& values) {
  std::vector<const char*> out;
  out.reserve(values.size());
  for (const std::string& v : values) out.push_back(v.c_str());
  return out;
}

// Contiguous and unfiltered: trajectories of doubles deflate by only ~20% (shuffle + deflate 1
// to 9), while deflating doubled the CPU time of a whole `morsim run` (docs/output.md).
H5Id creation_properties() {
  return H5Id(H5Pcreate(H5P_DATASET_CREATE), H5Pclose, "create dataset properties");
}

// Variable-length strings go through HDF5's type-conversion buffer, which it callocs at 1 MiB
// by default for every write: that zeroing (page faults included) cost more than writing all
// trajectories of a run. Sized to the strings (16 bytes each covers either representation).
H5Id string_transfer_properties(std::size_t n_strings) {
  H5Id dxpl(H5Pcreate(H5P_DATASET_XFER), H5Pclose, "create transfer properties");
  const std::size_t bytes = std::clamp<std::size_t>(16 * n_strings, 1024, 1 << 20);
  h5_check(H5Pset_buffer(dxpl.get(), bytes, nullptr, nullptr), "size the conversion buffer");
  return dxpl;
}

H5Id create_dataset(hid_t loc, const std::string& name, hid_t type,
                    const std::vector<hsize_t>& dims) {
  H5Id space = simple_space(dims);
  H5Id dcpl = creation_properties();
  return H5Id(
      H5Dcreate2(loc, name.c_str(), type, space.get(), H5P_DEFAULT, dcpl.get(), H5P_DEFAULT),
      H5Dclose, "create dataset " + name);
}

void describe(const H5Id& dataset, const std::string& units, const std::string& long_name) {
  write_attr(dataset.get(), "units", units);
  write_attr(dataset.get(), "long_name", long_name);
}

}  // namespace

void write_attr(hid_t loc, const std::string& name, const std::string& value) {
  write_attr(loc, name, value.c_str());
}

void write_attr(hid_t loc, const std::string& name, const char* value) {
  H5Id type = utf8_string_type();
  write_attr_raw(loc, name, type.get(), type.get(), scalar_space(), &value);
}

void write_attr(hid_t loc, const std::string& name, double value) {
  write_attr_raw(loc, name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, scalar_space(), &value);
}

void write_attr(hid_t loc, const std::string& name, std::int64_t value) {
  write_attr_raw(loc, name, H5T_STD_I64LE, H5T_NATIVE_INT64, scalar_space(), &value);
}

void write_attr(hid_t loc, const std::string& name, const std::vector<std::string>& values) {
  H5Id type = utf8_string_type();
  const std::vector<const char*> ptrs = c_strings(values);
  // HDF5 rejects a null buffer even for zero elements (an arm without antagonists).
  static const char* const kNone = "";
  write_attr_raw(loc, name, type.get(), type.get(), simple_space({values.size()}),
                 ptrs.empty() ? &kNone : ptrs.data());
}

H5Id create_group(hid_t loc, const std::string& name) {
  H5Id gcpl(H5Pcreate(H5P_GROUP_CREATE), H5Pclose, "create group properties");
  h5_check(H5Pset_link_creation_order(gcpl.get(), H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED),
           "track link creation order");
  return H5Id(H5Gcreate2(loc, name.c_str(), H5P_DEFAULT, gcpl.get(), H5P_DEFAULT), H5Gclose,
              "create group " + name);
}

H5Id write_dataset(hid_t loc, const std::string& name, const std::vector<hsize_t>& dims,
                   const std::vector<double>& data, const std::string& units,
                   const std::string& long_name) {
  H5Id ds = create_dataset(loc, name, H5T_IEEE_F64LE, dims);
  if (!data.empty())
    h5_check(H5Dwrite(ds.get(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, data.data()),
             "write dataset " + name);
  describe(ds, units, long_name);
  return ds;
}

H5Id write_dataset(hid_t loc, const std::string& name, const std::vector<std::int32_t>& data,
                   const std::string& units, const std::string& long_name) {
  H5Id ds = create_dataset(loc, name, H5T_STD_I32LE, {data.size()});
  if (!data.empty())
    h5_check(H5Dwrite(ds.get(), H5T_NATIVE_INT32, H5S_ALL, H5S_ALL, H5P_DEFAULT, data.data()),
             "write dataset " + name);
  describe(ds, units, long_name);
  return ds;
}

H5Id write_dataset(hid_t loc, const std::string& name, const std::vector<std::string>& data,
                   const std::string& units, const std::string& long_name) {
  H5Id type = utf8_string_type();
  H5Id ds = create_dataset(loc, name, type.get(), {data.size()});
  const std::vector<const char*> ptrs = c_strings(data);
  if (!ptrs.empty())
    h5_check(H5Dwrite(ds.get(), type.get(), H5S_ALL, H5S_ALL,
                      string_transfer_properties(ptrs.size()).get(), ptrs.data()),
             "write dataset " + name);
  describe(ds, units, long_name);
  return ds;
}

namespace {

template <typename T>
struct H5TypeOf;
template <>
struct H5TypeOf<double> {
  static hid_t file() { return H5T_IEEE_F64LE; }
  static hid_t mem() { return H5T_NATIVE_DOUBLE; }
};
template <>
struct H5TypeOf<std::int32_t> {
  static hid_t file() { return H5T_STD_I32LE; }
  static hid_t mem() { return H5T_NATIVE_INT32; }
};
template <>
struct H5TypeOf<std::int64_t> {
  static hid_t file() { return H5T_STD_I64LE; }
  static hid_t mem() { return H5T_NATIVE_INT64; }
};
template <>
struct H5TypeOf<std::int8_t> {
  static hid_t file() { return H5T_STD_I8LE; }
  static hid_t mem() { return H5T_NATIVE_INT8; }
};

H5Id growing_dataset(hid_t loc, const std::string& name, hid_t type) {
  const hsize_t zero = 0, unlimited = H5S_UNLIMITED, chunk = kChunkTargetElements;
  H5Id space(H5Screate_simple(1, &zero, &unlimited), H5Sclose, "create a dataspace");
  H5Id dcpl(H5Pcreate(H5P_DATASET_CREATE), H5Pclose, "create dataset properties");
  h5_check(H5Pset_chunk(dcpl.get(), 1, &chunk), "set the chunk shape");
  h5_check(H5Pset_shuffle(dcpl.get()), "enable the shuffle filter");
  h5_check(H5Pset_deflate(dcpl.get(), kDeflateLevel), "enable deflate compression");
  return H5Id(
      H5Dcreate2(loc, name.c_str(), type, space.get(), H5P_DEFAULT, dcpl.get(), H5P_DEFAULT),
      H5Dclose, "create dataset " + name);
}

}  // namespace

template <typename T>
GrowingColumn<T>::GrowingColumn(hid_t loc, const std::string& name, const std::string& units,
                                const std::string& long_name)
    : ds_(growing_dataset(loc, name, H5TypeOf<T>::file())), name_(name) {
  describe(ds_, units, long_name);
}

template <typename T>
void GrowingColumn<T>::append(const std::vector<T>& values) {
  if (values.empty()) return;
  const hsize_t start = size_, count = values.size(), total = size_ + count;
  h5_check(H5Dset_extent(ds_.get(), &total), "extend dataset " + name_);
  H5Id file_space(H5Dget_space(ds_.get()), H5Sclose, "get the dataspace of " + name_);
  h5_check(H5Sselect_hyperslab(file_space.get(), H5S_SELECT_SET, &start, nullptr, &count, nullptr),
           "select rows of " + name_);
  H5Id mem_space(H5Screate_simple(1, &count, nullptr), H5Sclose, "create a dataspace");
  h5_check(H5Dwrite(ds_.get(), H5TypeOf<T>::mem(), mem_space.get(), file_space.get(), H5P_DEFAULT,
                    values.data()),
           "write dataset " + name_);
  size_ = total;
}

template class GrowingColumn<double>;
template class GrowingColumn<std::int32_t>;
template class GrowingColumn<std::int64_t>;
template class GrowingColumn<std::int8_t>;

void write_attr(hid_t loc, const std::string& name, const std::vector<std::int8_t>& values) {
  static const std::int8_t kNone = 0;
  write_attr_raw(loc, name, H5T_STD_I8LE, H5T_NATIVE_INT8, simple_space({values.size()}),
                 values.empty() ? &kNone : values.data());
}

void make_dimension(const H5Id& scale, const std::string& dim_name,
                    const std::vector<const H5Id*>& datasets, unsigned axis) {
  h5_check(H5DSset_scale(scale.get(), dim_name.c_str()), "make " + dim_name + " a dimension scale");
  for (const H5Id* ds : datasets) attach_dimension(scale, *ds, axis, dim_name);
}

void attach_dimension(const H5Id& scale, const H5Id& dataset, unsigned axis,
                      const std::string& dim_name) {
  h5_check(H5DSattach_scale(dataset.get(), scale.get(), axis), "attach dimension " + dim_name);
}

}  // namespace morsim
