// Reading attributes and datasets with checked HDF5 calls.
#include "io/h5_read.hpp"

#include "io/h5_handle.hpp"
#include "model/errors.hpp"

namespace morsim {

namespace {

using Reader = herr_t (*)(hid_t obj, hid_t mem_type, void* buf);

herr_t read_attribute(hid_t attr, hid_t mem_type, void* buf) {
  return H5Aread(attr, mem_type, buf);
}

herr_t read_dataset(hid_t ds, hid_t mem_type, void* buf) {
  return H5Dread(ds, mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf);
}

struct Object {  // an open attribute or dataset with its type and space
  H5Id id;
  H5Id type;
  H5Id space;
  Reader read;
};

Object open_attr(hid_t loc, const std::string& name) {
  if (!has_attr(loc, name)) throw OutputError("HDF5: attribute " + name + " is missing");
  H5Id a(H5Aopen(loc, name.c_str(), H5P_DEFAULT), H5Aclose, "open attribute " + name);
  H5Id type(H5Aget_type(a.get()), H5Tclose, "get the type of attribute " + name);
  H5Id space(H5Aget_space(a.get()), H5Sclose, "get the shape of attribute " + name);
  return {std::move(a), std::move(type), std::move(space), read_attribute};
}

Object open_dataset(hid_t loc, const std::string& name) {
  if (!has_link(loc, name)) throw OutputError("HDF5: dataset " + name + " is missing");
  H5Id d(H5Dopen2(loc, name.c_str(), H5P_DEFAULT), H5Dclose, "open dataset " + name);
  H5Id type(H5Dget_type(d.get()), H5Tclose, "get the type of dataset " + name);
  H5Id space(H5Dget_space(d.get()), H5Sclose, "get the shape of dataset " + name);
  return {std::move(d), std::move(type), std::move(space), read_dataset};
}

hsize_t element_count(const Object& o) {
  const hssize_t n = H5Sget_simple_extent_npoints(o.space.get());
  if (n < 0) throw OutputError("HDF5: could not count elements");
  return static_cast<hsize_t>(n);
}

void require_class(const Object& o, H5T_class_t cls, const std::string& name,
                   const std::string& expected) {
  if (H5Tget_class(o.type.get()) != cls) throw OutputError("HDF5: " + name + " is not " + expected);
}

std::vector<std::string> read_string_object(const Object& o, const std::string& name) {
  require_class(o, H5T_STRING, name, "a string");
  const hsize_t n = element_count(o);
  std::vector<std::string> out;
  out.reserve(n);
  if (H5Tis_variable_str(o.type.get()) > 0) {
    H5Id mem(H5Tcopy(H5T_C_S1), H5Tclose, "copy the string type");
    h5_check(H5Tset_size(mem.get(), H5T_VARIABLE), "make a variable-length string type");
    h5_check(H5Tset_cset(mem.get(), H5Tget_cset(o.type.get())), "set the character set");
    std::vector<char*> buf(n, nullptr);
    if (n > 0) h5_check(o.read(o.id.get(), mem.get(), buf.data()), "read " + name);
    for (char* s : buf) out.emplace_back(s != nullptr ? s : "");
    // HDF5 allocated each string; give them back through the library that owns them.
    if (n > 0) H5Dvlen_reclaim(mem.get(), o.space.get(), H5P_DEFAULT, buf.data());
  } else {
    const std::size_t width = H5Tget_size(o.type.get());
    std::vector<char> buf(n * width);
    if (n > 0) h5_check(o.read(o.id.get(), o.type.get(), buf.data()), "read " + name);
    for (hsize_t i = 0; i < n; ++i) {
      const char* s = buf.data() + i * width;
      std::size_t len = 0;
      while (len < width && s[len] != '\0') ++len;  // null- or space-padded, not terminated
      out.emplace_back(s, len);
    }
  }
  return out;
}

template <typename T>
std::vector<T> read_numbers(const Object& o, hid_t mem_type, const std::string& name) {
  const H5T_class_t cls = H5Tget_class(o.type.get());
  if (cls != H5T_FLOAT && cls != H5T_INTEGER)
    throw OutputError("HDF5: " + name + " is not numeric");
  std::vector<T> out(element_count(o));
  if (!out.empty()) h5_check(o.read(o.id.get(), mem_type, out.data()), "read " + name);
  return out;
}

}  // namespace

bool has_attr(hid_t loc, const std::string& name) { return H5Aexists(loc, name.c_str()) > 0; }

bool has_link(hid_t loc, const std::string& name) {
  return H5Lexists(loc, name.c_str(), H5P_DEFAULT) > 0;
}

std::string read_attr_string(hid_t loc, const std::string& name) {
  const std::vector<std::string> v = read_string_object(open_attr(loc, name), name);
  if (v.size() != 1) throw OutputError("HDF5: attribute " + name + " is not a single string");
  return v.front();
}

std::vector<std::string> read_attr_strings(hid_t loc, const std::string& name) {
  return read_string_object(open_attr(loc, name), name);
}

double read_attr_double(hid_t loc, const std::string& name) {
  const auto v = read_numbers<double>(open_attr(loc, name), H5T_NATIVE_DOUBLE, name);
  if (v.size() != 1) throw OutputError("HDF5: attribute " + name + " is not a single number");
  return v.front();
}

std::int64_t read_attr_int(hid_t loc, const std::string& name) {
  const auto v = read_numbers<std::int64_t>(open_attr(loc, name), H5T_NATIVE_INT64, name);
  if (v.size() != 1) throw OutputError("HDF5: attribute " + name + " is not a single number");
  return v.front();
}

std::vector<double> read_doubles(hid_t loc, const std::string& name, std::vector<hsize_t>* dims) {
  Object o = open_dataset(loc, name);
  if (dims != nullptr) {
    const int rank = H5Sget_simple_extent_ndims(o.space.get());
    if (rank < 0) throw OutputError("HDF5: could not get the rank of " + name);
    dims->assign(static_cast<std::size_t>(rank), 0);
    H5Sget_simple_extent_dims(o.space.get(), dims->data(), nullptr);
  }
  return read_numbers<double>(o, H5T_NATIVE_DOUBLE, name);
}

std::vector<std::int32_t> read_ints(hid_t loc, const std::string& name) {
  return read_numbers<std::int32_t>(open_dataset(loc, name), H5T_NATIVE_INT32, name);
}

std::vector<std::string> read_strings(hid_t loc, const std::string& name) {
  return read_string_object(open_dataset(loc, name), name);
}

}  // namespace morsim
