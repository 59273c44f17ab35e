// Unit expressions are parsed into a scale in base units (s, mol, L, g) and a dimension, then
// divided by the scale of the expected internal unit; one code path serves every quantity.
#include "units/units.hpp"

#include <array>
#include <cctype>
#include <cmath>
#include <optional>

#include "units/float_text.hpp"

namespace morsim {
namespace {

struct UnitValue {
  double scale = 1.0;  // one of this unit in base units
  Dimension dim;
};

struct Symbol {
  std::string_view name;
  double scale;
  Dimension dim;
};

constexpr Dimension kTime{1, 0, 0, 0}, kAmount{0, 1, 0, 0}, kVolume{0, 0, 1, 0}, kMass{0, 0, 0, 1},
    kConc{0, 1, -1, 0}, kNone{0, 0, 0, 0};

// "u" and the two Unicode micro signs (U+00B5, U+03BC) are accepted alike.
// Times also in the words a student types ("hours", "hr", "days", "week").
const std::array<Symbol, 43> kSymbols{{
    {"s", 1.0, kTime},
    {"sec", 1.0, kTime},
    {"min", 60.0, kTime},
    {"mins", 60.0, kTime},
    {"minute", 60.0, kTime},
    {"minutes", 60.0, kTime},
    {"h", 3600.0, kTime},
    {"hr", 3600.0, kTime},
    {"hrs", 3600.0, kTime},
    {"hour", 3600.0, kTime},
    {"hours", 3600.0, kTime},
    {"d", 86400.0, kTime},
    {"day", 86400.0, kTime},
    {"days", 86400.0, kTime},
    {"wk", 604800.0, kTime},
    {"week", 604800.0, kTime},
    {"weeks", 604800.0, kTime},
    {"L", 1.0, kVolume},
    {"mL", 1e-3, kVolume},
    {"uL", 1e-6, kVolume},
    {"\xC2\xB5L", 1e-6, kVolume},
    {"mol", 1.0, kAmount},
    {"mmol", 1e-3, kAmount},
    {"umol", 1e-6, kAmount},
    {"\xC2\xB5mol", 1e-6, kAmount},
    {"nmol", 1e-9, kAmount},
    {"pmol", 1e-12, kAmount},
    {"M", 1.0, kConc},
    {"mM", 1e-3, kConc},
    {"uM", 1e-6, kConc},
    {"\xC2\xB5M", 1e-6, kConc},
    {"nM", 1e-9, kConc},
    {"pM", 1e-12, kConc},
    {"kg", 1e3, kMass},
    {"g", 1.0, kMass},
    {"mg", 1e-3, kMass},
    {"ug", 1e-6, kMass},
    {"\xC2\xB5g", 1e-6, kMass},
    {"\xCE\xBCg", 1e-6, kMass},
    {"ng", 1e-9, kMass},
    {"%", 1e-2, kNone},
    {"\xCE\xBCM", 1e-6, kConc},
    {"\xCE\xBCmol", 1e-6, kAmount},
}};

Dimension scaled(const Dimension& d, double p) {
  return {d.time * p, d.amount * p, d.volume * p, d.mass * p};
}
Dimension added(const Dimension& a, const Dimension& b) {
  return {a.time + b.time, a.amount + b.amount, a.volume + b.volume, a.mass + b.mass};
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

// Recursive descent over: expr := ['/'] term {('*'|'/') term}; term := primary ['^' number];
// primary := '(' expr ')' | '1' | symbol.
class UnitParser {
 public:
  explicit UnitParser(std::string_view text) : s_(text) {}

  UnitValue parse_all() {
    UnitValue v = expression();
    skip_space();
    if (pos_ != s_.size()) fail("unexpected '" + std::string(s_.substr(pos_)) + "'");
    return v;
  }

 private:
  UnitValue expression() {
    skip_space();
    UnitValue acc;
    if (peek("/")) {  // "/h" means 1/h
      ++pos_;
      divide(acc, term());
    } else {
      acc = term();
    }
    for (;;) {
      skip_space();
      if (peek("*")) {
        ++pos_;
        multiply(acc, term());
      } else if (peek("\xC2\xB7")) {  // middle dot
        pos_ += 2;
        multiply(acc, term());
      } else if (peek("/")) {
        ++pos_;
        divide(acc, term());
      } else {
        return acc;
      }
    }
  }

  UnitValue term() {
    UnitValue v = primary();
    skip_space();
    if (peek("^")) {
      ++pos_;
      skip_space();
      const bool paren = peek("(");
      if (paren) ++pos_;
      const double p = number();
      if (paren) expect(")");
      v.scale = std::pow(v.scale, p);
      v.dim = scaled(v.dim, p);
    }
    return v;
  }

  UnitValue primary() {
    skip_space();
    if (peek("(")) {
      ++pos_;
      UnitValue v = expression();
      expect(")");
      return v;
    }
    if (peek("1")) {
      ++pos_;
      return {};
    }
    const std::size_t start = pos_;
    while (pos_ < s_.size()) {
      const auto c = static_cast<unsigned char>(s_[pos_]);
      if (!(std::isalpha(c) || c >= 0x80 || c == '%')) break;
      ++pos_;
    }
    const std::string_view name = s_.substr(start, pos_ - start);
    if (name.empty()) {
      fail(pos_ < s_.size() ? "expected a unit at '" + std::string(s_.substr(pos_)) + "'"
                            : "expected a unit after '" + std::string(s_) + "'");
    }
    for (const Symbol& sym : kSymbols)
      if (sym.name == name) return {sym.scale, sym.dim};
    fail("unknown unit '" + std::string(name) + "'");
  }

  double number() {
    double v = 0.0;
    const char* first = s_.data() + pos_;
    const char* ptr = read_double(first, s_.data() + s_.size(), v);
    if (ptr == first || !std::isfinite(v)) fail("expected a number after '^'");
    pos_ += static_cast<std::size_t>(ptr - first);
    return v;
  }

  static void multiply(UnitValue& a, const UnitValue& b) {
    a.scale *= b.scale;
    a.dim = added(a.dim, b.dim);
  }
  static void divide(UnitValue& a, const UnitValue& b) {
    a.scale /= b.scale;
    a.dim = added(a.dim, scaled(b.dim, -1.0));
  }
  bool peek(std::string_view tok) const { return s_.substr(pos_, tok.size()) == tok; }
  void expect(std::string_view tok) {
    skip_space();
    if (!peek(tok)) fail("expected '" + std::string(tok) + "'");
    pos_ += tok.size();
  }
  void skip_space() {
    while (pos_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[pos_]))) ++pos_;
  }
  [[noreturn]] void fail(const std::string& what) const { throw UnitError(what); }

  std::string_view s_;
  std::size_t pos_ = 0;
};

UnitValue parse_unit(std::string_view unit) {
  unit = trim(unit);
  if (unit.empty()) return {};
  return UnitParser(unit).parse_all();
}

std::string allowed(const ExpectedDimension& e) {
  if (e.name() == dim::dimensionless().name()) return "(allowed: " + e.examples() + ")";
  return "(allowed for " + e.name() + ": " + e.examples() + ")";
}

// The raw dimension, with its everyday name where there is one.
std::string dimension_text(const Dimension& d) {
  const std::array<std::pair<Dimension, const char*>, 4> named{{{kConc, "concentration"},
                                                                {{-1, 0, 1, 0}, "clearance"},
                                                                {{-1, 0, 0, 0}, "a rate"},
                                                                {{0, -1, 0, 1}, "molar mass"}}};
  for (const auto& [nd, name] : named)
    if (nd == d) return std::string(name) + " (" + d.to_string() + ")";
  return d.to_string();
}

// "mg/kg", "ug/kg": a mass over a mass, with a mass in the denominator (so "%" is not one).
bool is_per_body_mass(std::string_view unit) {
  const std::size_t slash = unit.rfind('/');
  if (slash == std::string_view::npos) return false;
  try {
    return parse_unit(unit.substr(0, slash)).dim == kMass &&
           parse_unit(unit.substr(slash + 1)).dim == kMass;
  } catch (const UnitError&) {
    return false;
  }
}

void check_dimension(const UnitValue& u, std::string_view unit, const ExpectedDimension& e) {
  if (is_per_body_mass(trim(unit)))  // mass/mass cancels, but a dose per weight is no fraction
    throw UnitError(
        "unit '" + std::string(trim(unit)) + "' is a dose per body weight, not " + e.name() +
        " (doses per body weight are not read yet: write the amount in mg for the weight meant) " +
        allowed(e));
  if (u.dim == e.dimension()) return;
  if (trim(unit).empty())
    throw UnitError("a number without a unit " + allowed(e) + "; write e.g. \"1 " +
                    e.internal_unit() + "\"");
  throw UnitError("unit '" + std::string(trim(unit)) + "' is " + dimension_text(u.dim) + ", not " +
                  e.name() + " " + allowed(e));
}

std::string power_text(const char* name, double p) {
  const double a = std::fabs(p);
  return a == 1.0 ? std::string(name) : std::string(name) + "^" + format_number(a);
}

}  // namespace

bool Dimension::operator==(const Dimension& o) const {
  constexpr double kTol = 1e-9;  // exponents like 0.8439 come from text; exact compare is fine
  return std::fabs(time - o.time) < kTol && std::fabs(amount - o.amount) < kTol &&
         std::fabs(volume - o.volume) < kTol && std::fabs(mass - o.mass) < kTol;
}

std::string Dimension::to_string() const {
  const std::array<std::pair<const char*, double>, 4> parts{
      {{"amount", amount}, {"mass", mass}, {"volume", volume}, {"time", time}}};
  std::string num, den;
  for (const auto& [name, p] : parts) {
    if (std::fabs(p) < 1e-12) continue;
    std::string& side = p > 0 ? num : den;
    if (!side.empty()) side += "*";
    side += power_text(name, p);
  }
  if (num.empty() && den.empty()) return "dimensionless";
  if (den.empty()) return num;
  return (num.empty() ? "1" : num) + "/" +
         (den.find('*') != std::string::npos ? "(" + den + ")" : den);
}

ExpectedDimension::ExpectedDimension(std::string name, std::string internal_unit,
                                     std::string examples)
    : name_(std::move(name)),
      internal_unit_(std::move(internal_unit)),
      examples_(std::move(examples)) {
  const UnitValue u = parse_unit(internal_unit_);
  dimension_ = u.dim;
  scale_ = u.scale;
}

namespace dim {
const ExpectedDimension& time() {
  static const ExpectedDimension d("time", "h", "h, min, s, d, wk");
  return d;
}
const ExpectedDimension& rate() {
  static const ExpectedDimension d("rate (1/time)", "/h", "/h, 1/h, /min, /s, /d");
  return d;
}
const ExpectedDimension& volume() {
  static const ExpectedDimension d("volume", "L", "L, mL, uL");
  return d;
}
const ExpectedDimension& clearance() {
  static const ExpectedDimension d("clearance (volume/time)", "L/h", "L/h, mL/min, L/d");
  return d;
}
const ExpectedDimension& amount() {
  static const ExpectedDimension d("amount", "nmol", "mol, mmol, umol, nmol, pmol");
  return d;
}
const ExpectedDimension& mass() {
  static const ExpectedDimension d("mass", "mg", "g, mg, ug, ng");
  return d;
}
const ExpectedDimension& molar_mass() {
  static const ExpectedDimension d("molar mass", "g/mol", "g/mol, mg/mmol");
  return d;
}
const ExpectedDimension& concentration() {
  static const ExpectedDimension d("concentration", "nM", "M, mM, uM, nM, pM, nmol/L");
  return d;
}
const ExpectedDimension& dimensionless() {
  static const ExpectedDimension d("a dimensionless number", "", "a plain number, or %");
  return d;
}
ExpectedDimension kon(double hill_n) {
  const std::string n = format_number(hill_n);
  const std::string unit = hill_n == 1.0 ? "/nM/h" : "nM^-" + n + "/h";
  return ExpectedDimension("kon (concentration^-" + n + "/time)", unit,
                           unit + ", pM^-" + n + "/s, 1/(nM^" + n + "*h)");
}
}  // namespace dim

double parse_quantity(std::string_view text, const ExpectedDimension& expected) {
  const std::string_view s = trim(text);
  double v = 0.0;
  const char* ptr = read_double(s.data(), s.data() + s.size(), v);
  if (s.empty() || ptr == s.data() || !std::isfinite(v))
    throw UnitError("'" + std::string(text) + "' does not start with a finite number " +
                    allowed(expected));
  const std::string_view unit = s.substr(static_cast<std::size_t>(ptr - s.data()));
  UnitValue u;
  try {
    u = parse_unit(unit);
  } catch (const UnitError& e) {
    throw UnitError(std::string(e.what()) + " in '" + std::string(s) + "' " + allowed(expected));
  }
  check_dimension(u, unit, expected);
  // Scale ratio first: it is exactly 1 when the unit is the internal one.
  const double result = v * (u.scale / expected.internal_scale());
  if (!std::isfinite(result))
    throw UnitError("'" + std::string(text) + "' is out of range " + allowed(expected));
  return result;
}

std::optional<double> parse_dose_per_body_weight(std::string_view text) {
  const std::string_view s = trim(text);
  double v = 0.0;
  const char* ptr = read_double(s.data(), s.data() + s.size(), v);
  if (s.empty() || ptr == s.data() || !std::isfinite(v)) return std::nullopt;
  const std::string_view unit = trim(s.substr(static_cast<std::size_t>(ptr - s.data())));
  if (!is_per_body_mass(unit)) return std::nullopt;
  const std::size_t slash = unit.rfind('/');
  const double dose_mg = parse_unit(unit.substr(0, slash)).scale / 1e-3;    // g -> mg
  const double weight_kg = parse_unit(unit.substr(slash + 1)).scale / 1e3;  // g -> kg
  return v * dose_mg / weight_kg;
}

double convert_from_internal(double internal_value, std::string_view unit,
                             const ExpectedDimension& expected) {
  const UnitValue u = parse_unit(unit);
  check_dimension(u, unit, expected);
  return internal_value * (expected.internal_scale() / u.scale);
}

std::string format_number(double value) { return shortest_double(value); }

std::string format_quantity(double internal_value, const ExpectedDimension& expected) {
  const std::string n = format_number(internal_value);
  return expected.internal_unit().empty() ? n : n + " " + expected.internal_unit();
}

}  // namespace morsim
