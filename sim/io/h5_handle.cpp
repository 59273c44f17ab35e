// RAII over HDF5 ids; HDF5 error stacks condensed into OutputError messages.
#include "io/h5_handle.hpp"

#include <utility>
#include <vector>

#include "model/errors.hpp"

namespace morsim {

namespace {

herr_t collect_description(unsigned /*n*/, const H5E_error2_t* err, void* client) {
  auto* lines = static_cast<std::vector<std::string>*>(client);
  if (err->desc != nullptr && err->desc[0] != '\0') lines->emplace_back(err->desc);
  return 0;
}

std::string failure_message(const std::string& what) {
  const std::string reason = h5_error_reason();
  return "HDF5: could not " + what + (reason.empty() ? "" : ": " + reason);
}

}  // namespace

std::string h5_error_reason() {
  std::vector<std::string> lines;  // API level first, the innermost cause (errno text) last
  H5Ewalk2(H5E_DEFAULT, H5E_WALK_DOWNWARD, collect_description, &lines);
  H5Eclear2(H5E_DEFAULT);
  if (lines.empty()) return "";
  // The innermost cause of an I/O failure is the system's: "... error message = 'No space
  // left on device', ..." inside a long multi-line record; keep just that text.
  std::string cause = lines.back();
  const std::string tag = "error message = '";
  if (const std::size_t at = cause.find(tag); at != std::string::npos) {
    const std::size_t from = at + tag.size(), to = cause.find('\'', from);
    cause = cause.substr(from, to == std::string::npos ? std::string::npos : to - from);
  }
  for (char& c : cause)
    if (c == '\n' || c == '\r') c = ' ';
  if (lines.size() == 1) return cause;
  return lines.front() + " (" + cause + ")";
}

void h5_check(herr_t status, const std::string& what) {
  if (status < 0) throw OutputError(failure_message(what));
}

H5Id::H5Id(hid_t id, Closer closer, const std::string& what) : id_(id), close_(closer) {
  if (id_ < 0) throw OutputError(failure_message(what));
}

H5Id::H5Id(H5Id&& other) noexcept
    : id_(std::exchange(other.id_, H5I_INVALID_HID)), close_(other.close_) {}

H5Id& H5Id::operator=(H5Id&& other) noexcept {
  if (this != &other) {
    reset();
    id_ = std::exchange(other.id_, H5I_INVALID_HID);
    close_ = other.close_;
  }
  return *this;
}

H5Id::~H5Id() { reset(); }

void H5Id::reset() noexcept {
  if (id_ >= 0) close_(id_);
  id_ = H5I_INVALID_HID;
}

void H5Id::close(const std::string& what) {
  const hid_t id = std::exchange(id_, H5I_INVALID_HID);
  if (id >= 0) h5_check(close_(id), what);
}

H5QuietErrors::H5QuietErrors() {
  H5Eget_auto2(H5E_DEFAULT, &func_, &data_);
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
}

H5QuietErrors::~H5QuietErrors() { H5Eset_auto2(H5E_DEFAULT, func_, data_); }

void h5_library_begin() { H5dont_atexit(); }
void h5_library_end() { H5close(); }

}  // namespace morsim
