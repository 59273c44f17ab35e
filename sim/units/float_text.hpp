// Reading and writing doubles without the locale: std::from_chars / std::to_chars where the
// standard library has them for floating point, else an equivalent on strtod and snprintf
// (the WebAssembly build's libc++ lacks them; it has only the "C" locale, so strtod matches).
#pragma once

#include <string>

namespace morsim {

// Parses the longest number at the start of [first, last) (no leading space or '+', as
// from_chars); returns the end of the number, or `first` when there is none.
const char* read_double(const char* first, const char* last, double& value);

// The shortest text that reads back as exactly `value`, in fixed or scientific notation,
// whichever is shorter (as std::to_chars without a format).
std::string shortest_double(double value);

// The strtod / snprintf versions, used where the standard library lacks the above; defined
// everywhere so that the native tests compare them with std::from_chars / std::to_chars.
const char* read_double_portable(const char* first, const char* last, double& value);
std::string shortest_double_portable(double value);

}  // namespace morsim
