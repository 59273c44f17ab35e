// RAII over HDF5 C API ids, and error checks that turn HDF5 failures into OutputError.
#pragma once

#include <hdf5.h>

#include <string>

namespace morsim {

// Owns one HDF5 id and closes it exactly once. The destructor never throws (it may run while
// an exception unwinds); call close() where a failed close must be reported (files: the
// final flush happens there).
class H5Id {
 public:
  using Closer = herr_t (*)(hid_t);
  // Throws OutputError("HDF5: could not <what>: <HDF5's reason>") when id is negative.
  H5Id(hid_t id, Closer closer, const std::string& what);
  H5Id(H5Id&& other) noexcept;
  H5Id& operator=(H5Id&& other) noexcept;
  H5Id(const H5Id&) = delete;
  H5Id& operator=(const H5Id&) = delete;
  ~H5Id();

  hid_t get() const { return id_; }
  // Closes now; throws OutputError if HDF5 reports a failure.
  void close(const std::string& what);

 private:
  void reset() noexcept;
  hid_t id_;
  Closer close_;
};

// Throws OutputError("HDF5: could not <what>: <reason>") when status is negative.
void h5_check(herr_t status, const std::string& what);

// The most useful lines of the current HDF5 error stack ("unable to create file: ... errno =
// 2, ..."), or "" when it is empty.
std::string h5_error_reason();

// Switches off HDF5's automatic printing of error stacks to stderr for its lifetime: failures
// are reported once, as OutputError messages, instead of as a page of stack trace.
class H5QuietErrors {
 public:
  H5QuietErrors();
  ~H5QuietErrors();
  H5QuietErrors(const H5QuietErrors&) = delete;
  H5QuietErrors& operator=(const H5QuietErrors&) = delete;

 private:
  H5E_auto2_t func_ = nullptr;
  void* data_ = nullptr;
};

// HDF5's own exit handler flushes files still open, and after a failed write (a full disk)
// HDF5 1.10 can crash doing so. The program therefore takes over: h5_library_begin() (first
// thing in main) turns the handler off, and h5_library_end() shuts the library down at a
// normal end. After a failed run it is skipped: every output of a failed run is a partial
// file that is removed anyway, and the process exits without touching them again.
void h5_library_begin();
void h5_library_end();

}  // namespace morsim
