// Writing attributes and datasets: the few shapes and types the results file uses.
#pragma once

#include <hdf5.h>

#include <cstdint>
#include <string>
#include <vector>

#include "io/h5_handle.hpp"

namespace morsim {

// Scalar attributes. Strings are variable-length UTF-8: h5py returns them as str, netCDF and
// R/MATLAB read them as NC_STRING / character.
void write_attr(hid_t loc, const std::string& name, const std::string& value);
void write_attr(hid_t loc, const std::string& name, const char* value);
void write_attr(hid_t loc, const std::string& name, double value);
void write_attr(hid_t loc, const std::string& name, std::int64_t value);
// A 1-D attribute of strings (may be empty: a zero-length array).
void write_attr(hid_t loc, const std::string& name, const std::vector<std::string>& values);

// A group whose links remember creation order, so readers list arms as the config did.
H5Id create_group(hid_t loc, const std::string& name);

// A dataset of doubles with the given shape (row-major data) and its `units` and `long_name`
// attributes, stored contiguous and uncompressed (docs/output.md says why).
H5Id write_dataset(hid_t loc, const std::string& name, const std::vector<hsize_t>& dims,
                   const std::vector<double>& data, const std::string& units,
                   const std::string& long_name);
H5Id write_dataset(hid_t loc, const std::string& name, const std::vector<std::int32_t>& data,
                   const std::string& units, const std::string& long_name);
// A 1-D dataset of variable-length UTF-8 strings.
H5Id write_dataset(hid_t loc, const std::string& name, const std::vector<std::string>& data,
                   const std::string& units, const std::string& long_name);

// A 1-D column of values written a block at a time, whose length is known only at the end
// (unlimited, chunked, shuffled and deflated): memory holds one block, not the column.
template <typename T>
class GrowingColumn {
 public:
  GrowingColumn(hid_t loc, const std::string& name, const std::string& units,
                const std::string& long_name);
  void append(const std::vector<T>& values);
  const H5Id& id() const { return ds_; }
  hsize_t size() const { return size_; }

 private:
  H5Id ds_;
  std::string name_;
  hsize_t size_ = 0;
};
extern template class GrowingColumn<double>;
extern template class GrowingColumn<std::int32_t>;
extern template class GrowingColumn<std::int64_t>;
extern template class GrowingColumn<std::int8_t>;

// A 1-D attribute of int8 (CF flag_values of an int8 code).
void write_attr(hid_t loc, const std::string& name, const std::vector<std::int8_t>& values);

// Makes `scale` a dimension scale named `dim_name`, and attaches it to axis `axis` of each of
// `datasets`; netCDF readers (h5netcdf, xarray, netCDF-C) take dimension names from this.
void make_dimension(const H5Id& scale, const std::string& dim_name,
                    const std::vector<const H5Id*>& datasets, unsigned axis);
void attach_dimension(const H5Id& scale, const H5Id& dataset, unsigned axis,
                      const std::string& dim_name);

}  // namespace morsim
