// The strtod / snprintf fallback of units/float_text (used by the WebAssembly build, whose
// libc++ lacks floating-point from_chars / to_chars) against the standard library's own.
#include <catch2/catch.hpp>
#include <charconv>
#include <cmath>
#include <cstring>
#include <random>
#include <string>

#include "units/float_text.hpp"

namespace {

std::string std_shortest(double x) {
  char buf[64];
  const auto res = std::to_chars(buf, buf + sizeof buf, x);
  return std::string(buf, res.ptr);
}

}  // namespace

TEST_CASE("shortest_double_portable writes what std::to_chars writes", "[units][float_text]") {
  for (double x : {0.0,  -0.0, 1.0,    -1.0,      0.1,   25.0,   380.0, 1e5,   1e-5, 123456789.0,
                   1e21, 1e22, 1.5e-7, 2.0 / 3.0, 1e300, 5e-324, 0.001, 100.0, 1e16, 1.25e15})
    CHECK(morsim::shortest_double_portable(x) == std_shortest(x));
  std::mt19937_64 rng(20261202);
  std::uniform_real_distribution<double> mantissa(-10.0, 10.0);
  std::uniform_int_distribution<int> exponent(-30, 30);
  for (int i = 0; i < 20000; ++i) {
    const double x = mantissa(rng) * std::pow(10.0, exponent(rng));
    INFO(x);
    REQUIRE(morsim::shortest_double_portable(x) == std_shortest(x));
  }
  for (int i = 0; i < 2000; ++i) {  // short decimals, as configs write them
    const double x = std::round(mantissa(rng) * 1000.0) / 100.0;
    REQUIRE(morsim::shortest_double_portable(x) == std_shortest(x));
  }
}

TEST_CASE("read_double_portable reads what std::from_chars reads", "[units][float_text]") {
  for (const char* s : {"25 mg", "1e-3/h", "-2.5", "+1", " 1", ".5", "5.", "1e", "1e+", "0x10",
                        "-0x1p3", "3 d", "0.25 h", "1.5e-07 nM", "mg", "", "-", "7e2x", "12"}) {
    INFO(s);
    const char* last = s + std::strlen(s);
    double a = -99.0, b = -99.0;
    const auto [ptr, ec] = std::from_chars(s, last, a);
    const char* q = morsim::read_double_portable(s, last, b);
    if (ec == std::errc()) {
      CHECK(q == ptr);
      CHECK(b == a);
    } else {
      CHECK(q == s);
    }
  }
}
