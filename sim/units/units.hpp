// Quantities with units at the input boundary: "50 mg", "6.5 d", "30.8 mL/min" -> internal units.
#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace morsim {

// A unit or value is wrong: unknown symbol, bad number, or a dimension other than the expected.
class UnitError : public std::runtime_error {
 public:
  explicit UnitError(const std::string& what) : std::runtime_error(what) {}
};

// Exponents of the four base dimensions. Concentration is amount/volume; rates are time^-1.
struct Dimension {
  double time = 0.0;
  double amount = 0.0;
  double volume = 0.0;
  double mass = 0.0;
  bool operator==(const Dimension& o) const;
  bool operator!=(const Dimension& o) const { return !(*this == o); }
  // Readable form: "time", "volume/time", "amount^-0.84 volume^0.84/time", "dimensionless".
  std::string to_string() const;
};

// What a parameter must be: its dimension, the internal unit its value is returned in, and
// examples of units a user may write (for error messages).
class ExpectedDimension {
 public:
  ExpectedDimension(std::string name, std::string internal_unit, std::string examples);
  const std::string& name() const { return name_; }                    // "time", "kon (n = 0.84)"
  const std::string& internal_unit() const { return internal_unit_; }  // "h", "nM^-0.84/h"
  const std::string& examples() const { return examples_; }            // "h, min, s, d, wk"
  const Dimension& dimension() const { return dimension_; }
  double internal_scale() const {
    return scale_;
  }  // one internal unit in base units (s, mol, L, g)

 private:
  std::string name_, internal_unit_, examples_;
  Dimension dimension_;
  double scale_ = 1.0;
};

namespace dim {
const ExpectedDimension& time();           // h
const ExpectedDimension& rate();           // /h
const ExpectedDimension& volume();         // L
const ExpectedDimension& clearance();      // L/h
const ExpectedDimension& amount();         // nmol
const ExpectedDimension& mass();           // mg (mass of a dose)
const ExpectedDimension& molar_mass();     // g/mol
const ExpectedDimension& concentration();  // nM
const ExpectedDimension& dimensionless();  // 1
ExpectedDimension kon(double hill_n);      // nM^-n/h; n = 1 gives /nM/h
}  // namespace dim

// The value of `text` ("140 L/h", "1/(nM*h)", "0.2") in the internal unit of `expected`.
// Throws UnitError naming the unit found, its dimension and the units allowed.
double parse_quantity(std::string_view text, const ExpectedDimension& expected);

// "0.1 mg/kg", "100 ug/kg": a dose per body weight, in mg per kg; nullopt when the text is not
// a mass over a mass (then parse_quantity reads it, and refuses it for every dimension).
std::optional<double> parse_dose_per_body_weight(std::string_view text);

// A value in internal units expressed in `unit` ("mL/min"), which must match the dimension.
double convert_from_internal(double internal_value, std::string_view unit,
                             const ExpectedDimension& expected);

// "13.9 /h", "1350 L": the value with the internal unit, shortest round-trip formatting.
std::string format_quantity(double internal_value, const ExpectedDimension& expected);

// Shortest decimal text that reads back to the same double ("0.1", "1e-09").
std::string format_number(double value);

}  // namespace morsim
