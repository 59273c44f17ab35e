#include "units/float_text.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>

// libc++ (clang, emscripten) declared floating-point from_chars/to_chars deleted until 17.
#if defined(_LIBCPP_VERSION) && _LIBCPP_VERSION < 170000
#define MORSIM_FLOAT_CHARS 0
#else
#define MORSIM_FLOAT_CHARS 1
#endif

namespace morsim {

#if MORSIM_FLOAT_CHARS

const char* read_double(const char* first, const char* last, double& value) {
  const auto [ptr, ec] = std::from_chars(first, last, value);
  return ec == std::errc() ? ptr : first;
}

std::string shortest_double(double value) {
  char buf[64];
  const auto res = std::to_chars(buf, buf + sizeof buf, value);
  return std::string(buf, res.ptr);
}

#else

const char* read_double(const char* first, const char* last, double& value) {
  return read_double_portable(first, last, value);
}
std::string shortest_double(double value) { return shortest_double_portable(value); }

#endif

const char* read_double_portable(const char* first, const char* last, double& value) {
  // from_chars accepts no leading space or sign '+', nor hexadecimal; strtod would.
  if (first == last || *first == '+' || *first == ' ' || *first == '\t') return first;
  const std::string text(first, last);
  const char* p = text.c_str();
  if (*p == '-') ++p;
  if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
    value = 0.0;  // from_chars reads the "0" and stops at the 'x'
    return first + (p - text.c_str()) + 1;
  }
  char* end = nullptr;
  const double v = std::strtod(text.c_str(), &end);
  if (end == text.c_str()) return first;
  value = v;
  return first + (end - text.c_str());
}

std::string shortest_double_portable(double value) {
  char buf[64];
  if (value != value) return "nan";
  if (value - value != 0.0) return value < 0 ? "-inf" : "inf";
  // Fewest significant digits that read back exactly.
  int digits = 1;
  for (; digits < 17; ++digits) {
    std::snprintf(buf, sizeof buf, "%.*e", digits - 1, value);
    if (std::strtod(buf, nullptr) == value) break;
  }
  std::snprintf(buf, sizeof buf, "%.*e", digits - 1, value);
  const std::string sci(buf);  // "-1.2345e+05"
  const auto e = sci.find('e');
  const int exponent = std::atoi(sci.c_str() + e + 1);
  std::string mantissa;  // the significant digits without the point
  for (std::size_t i = 0; i < e; ++i)
    if (sci[i] >= '0' && sci[i] <= '9') mantissa += sci[i];
  const std::string sign = std::signbit(value) ? "-" : "";
  // Scientific as to_chars writes it: "1e+05", "1.5e-07" (at least two exponent digits).
  std::snprintf(buf, sizeof buf, "%s%c%s%se%c%02d", sign.c_str(), mantissa[0],
                mantissa.size() > 1 ? "." : "", mantissa.c_str() + 1, exponent < 0 ? '-' : '+',
                exponent < 0 ? -exponent : exponent);
  const std::string scientific(buf);
  std::string fixed = sign;
  const int n = static_cast<int>(mantissa.size());
  if (exponent < 0) {
    fixed += "0." + std::string(static_cast<std::size_t>(-exponent - 1), '0') + mantissa;
  } else if (exponent + 1 >= n) {  // an integer: to_chars writes its exact digits
    std::snprintf(buf, sizeof buf, "%.0f", value);
    fixed = buf;
  } else {
    fixed += mantissa.substr(0, static_cast<std::size_t>(exponent + 1)) + "." +
             mantissa.substr(static_cast<std::size_t>(exponent + 1));
  }
  return fixed.size() <= scientific.size() ? fixed : scientific;
}

}  // namespace morsim
