// The HDF5 writers the lesson sources reference, for the browser build: each throws, since the
// page never writes a results file (see hdf5.h beside this file).
#include <string>
#include <vector>

#include "io/h5_handle.hpp"
#include "io/h5_write.hpp"
#include "model/errors.hpp"

namespace morsim {
namespace {
[[noreturn]] void unavailable() {
  throw OutputError("HDF5 files are not written in the browser build; use morsim run");
}
}  // namespace

H5Id::H5Id(hid_t, Closer, const std::string&) : id_(-1), close_(nullptr) { unavailable(); }
H5Id::H5Id(H5Id&& other) noexcept : id_(other.id_), close_(other.close_) { other.id_ = -1; }
H5Id& H5Id::operator=(H5Id&& other) noexcept {
  id_ = other.id_, close_ = other.close_, other.id_ = -1;
  return *this;
}
H5Id::~H5Id() = default;
void H5Id::close(const std::string&) { unavailable(); }

void write_attr(hid_t, const std::string&, const std::string&) { unavailable(); }
void write_attr(hid_t, const std::string&, const char*) { unavailable(); }
void write_attr(hid_t, const std::string&, double) { unavailable(); }
void write_attr(hid_t, const std::string&, std::int64_t) { unavailable(); }
void write_attr(hid_t, const std::string&, const std::vector<std::string>&) { unavailable(); }
H5Id create_group(hid_t, const std::string&) { unavailable(); }
H5Id write_dataset(hid_t, const std::string&, const std::vector<hsize_t>&,
                   const std::vector<double>&, const std::string&, const std::string&) {
  unavailable();
}
H5Id write_dataset(hid_t, const std::string&, const std::vector<std::int32_t>&, const std::string&,
                   const std::string&) {
  unavailable();
}
H5Id write_dataset(hid_t, const std::string&, const std::vector<std::string>&, const std::string&,
                   const std::string&) {
  unavailable();
}

}  // namespace morsim
