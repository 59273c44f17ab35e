// Reading back the attribute and dataset shapes written by h5_write.hpp.
#pragma once

#include <hdf5.h>

#include <cstdint>
#include <string>
#include <vector>

namespace morsim {

bool has_attr(hid_t loc, const std::string& name);
// Each throws OutputError when the attribute is missing or has another type.
std::string read_attr_string(hid_t loc, const std::string& name);
std::vector<std::string> read_attr_strings(hid_t loc, const std::string& name);
double read_attr_double(hid_t loc, const std::string& name);
std::int64_t read_attr_int(hid_t loc, const std::string& name);

bool has_link(hid_t loc, const std::string& name);
// A numeric dataset read as doubles (row-major), and its shape.
std::vector<double> read_doubles(hid_t loc, const std::string& name,
                                 std::vector<hsize_t>* dims = nullptr);
std::vector<std::int32_t> read_ints(hid_t loc, const std::string& name);
// A 1-D dataset of strings, variable- or fixed-length.
std::vector<std::string> read_strings(hid_t loc, const std::string& name);

}  // namespace morsim
