// Unit parsing: every accepted symbol converts to internal units and back; errors are specific.
#include <catch2/catch.hpp>
#include <string>

#include "units/units.hpp"

using namespace morsim;

namespace {
constexpr double kRel = 1e-12;  // conversions are a few multiplications of exact decimals

struct Case {
  const char* text;
  const ExpectedDimension* dim;
  double internal;   // expected value in internal units, typed by hand
  const char* unit;  // the unit of `text`, for the way back
};
}  // namespace

TEST_CASE("every accepted unit converts to internal units and back", "[units]") {
  const ExpectedDimension kon1 = dim::kon(1.0);
  const std::vector<Case> cases{
      {"2 h", &dim::time(), 2.0, "h"},
      {"30 min", &dim::time(), 0.5, "min"},
      {"36 s", &dim::time(), 0.01, "s"},
      {"6.5 d", &dim::time(), 156.0, "d"},
      {"1 wk", &dim::time(), 168.0, "wk"},
      {"0.17 /h", &dim::rate(), 0.17, "/h"},
      {"1/h", &dim::rate(), 1.0, "1/h"},
      {"0.35 /min", &dim::rate(), 21.0, "/min"},
      {"0.001 /s", &dim::rate(), 3.6, "/s"},
      {"24 /d", &dim::rate(), 1.0, "/d"},
      {"1350 L", &dim::volume(), 1350.0, "L"},
      {"250 mL", &dim::volume(), 0.25, "mL"},
      {"5 uL", &dim::volume(), 5e-6, "uL"},
      {"5 \xC2\xB5L", &dim::volume(), 5e-6, "\xC2\xB5L"},
      {"140 L/h", &dim::clearance(), 140.0, "L/h"},
      {"30.8 mL/min", &dim::clearance(), 1.848, "mL/min"},
      {"24 L/d", &dim::clearance(), 1.0, "L/d"},
      {"1 mol", &dim::amount(), 1e9, "mol"},
      {"2 mmol", &dim::amount(), 2e6, "mmol"},
      {"3 umol", &dim::amount(), 3e3, "umol"},
      {"4 nmol", &dim::amount(), 4.0, "nmol"},
      {"5 pmol", &dim::amount(), 5e-3, "pmol"},
      {"1 M", &dim::concentration(), 1e9, "M"},
      {"1 mM", &dim::concentration(), 1e6, "mM"},
      {"1 uM", &dim::concentration(), 1e3, "uM"},
      {"0.2 nM", &dim::concentration(), 0.2, "nM"},
      {"20 pM", &dim::concentration(), 0.02, "pM"},
      {"3 nmol/L", &dim::concentration(), 3.0, "nmol/L"},
      {"1 g", &dim::mass(), 1000.0, "g"},
      {"50 mg", &dim::mass(), 50.0, "mg"},
      {"500 ug", &dim::mass(), 0.5, "ug"},
      {"500 \xC2\xB5g", &dim::mass(), 0.5, "\xC2\xB5g"},
      {"100 ng", &dim::mass(), 1e-4, "ng"},
      {"369.41 g/mol", &dim::molar_mass(), 369.41, "g/mol"},
      {"377.86 mg/mmol", &dim::molar_mass(), 377.86, "mg/mmol"},
      {"0.2", &dim::dimensionless(), 0.2, ""},
      {"20 %", &dim::dimensionless(), 0.2, "%"},
      {"12 /nM/h", &kon1, 12.0, "/nM/h"},
      {"1/(nM*h)", &kon1, 1.0, "1/(nM*h)"},
      {"1e7 /M/s", &kon1, 36.0, "/M/s"},
  };
  for (const Case& c : cases) {
    INFO(c.text);
    const double v = parse_quantity(c.text, *c.dim);
    CHECK(v == Approx(c.internal).epsilon(kRel));
    const double back = std::stod(c.text);
    CHECK(convert_from_internal(v, c.unit, *c.dim) == Approx(back).epsilon(kRel));
  }
}

TEST_CASE("fractional hill exponents in kon units", "[units]") {
  const ExpectedDimension k = dim::kon(0.8439);
  CHECK(k.internal_unit() == "nM^-0.8439/h");
  CHECK(parse_quantity("37.7184 nM^-0.8439/h", k) == Approx(37.7184).epsilon(kRel));
  // pM^-n/s -> nM^-n/h: x 3600 x 1000^n (Mann 2022 fentanyl kon).
  CHECK(parse_quantity("3.08e-5 pM^-0.8439/s", k) ==
        Approx(3.08e-5 * 3600.0 * std::pow(1000.0, 0.8439)).epsilon(kRel));
  CHECK(parse_quantity("1 1/(nM^0.8439*h)", k) == Approx(1.0).epsilon(kRel));
  CHECK_THROWS_AS(parse_quantity("1 /nM/h", k), UnitError);  // n = 1, not 0.8439
}

TEST_CASE("formatting uses the internal unit and round-trips", "[units]") {
  CHECK(format_quantity(13.9, dim::rate()) == "13.9 /h");
  CHECK(format_quantity(1350.0, dim::volume()) == "1350 L");
  CHECK(format_quantity(0.2, dim::dimensionless()) == "0.2");
  for (const double v : {0.1, 1.0 / 3.0, 1e-9, 123456.789}) {
    CHECK(parse_quantity(format_quantity(v, dim::time()), dim::time()) == v);
    CHECK(parse_quantity(format_quantity(v, dim::kon(0.5)), dim::kon(0.5)) == v);
  }
}

TEST_CASE("a unit of the wrong dimension names both dimensions and the allowed units", "[units]") {
  try {
    parse_quantity("5 h", dim::volume());
    FAIL("no throw");
  } catch (const UnitError& e) {
    const std::string m = e.what();
    CHECK(m.find("'h' is time") != std::string::npos);
    CHECK(m.find("not volume") != std::string::npos);
    CHECK(m.find("L, mL, uL") != std::string::npos);
  }
  CHECK_THROWS_WITH(parse_quantity("140 L", dim::clearance()), Catch::Contains("volume"));
  CHECK_THROWS_WITH(parse_quantity("9", dim::volume()), Catch::Contains("without a unit"));
  CHECK_THROWS_WITH(parse_quantity("2 nM", dim::dimensionless()), Catch::Contains("concentration"));
}

TEST_CASE("unknown units and malformed expressions are rejected", "[units]") {
  CHECK_THROWS_WITH(parse_quantity("50 mgg", dim::mass()), Catch::Contains("unknown unit 'mgg'"));
  CHECK_THROWS_WITH(parse_quantity("1 furlong", dim::volume()), Catch::Contains("unknown unit"));
  CHECK_THROWS_AS(parse_quantity("1 L/", dim::volume()), UnitError);
  CHECK_THROWS_AS(parse_quantity("1 (L", dim::volume()), UnitError);
  CHECK_THROWS_AS(parse_quantity("1 L^", dim::volume()), UnitError);
  CHECK_THROWS_AS(parse_quantity("1 L L", dim::volume()), UnitError);
}

TEST_CASE("garbage numbers are rejected", "[units]") {
  for (const char* t :
       {"", "   ", "abc", "mg 50", "nan mg", "inf mg", "+-5 mg", "--5 mg", "1e999 mg"}) {
    INFO(t);
    CHECK_THROWS_AS(parse_quantity(t, dim::mass()), UnitError);
  }
}

TEST_CASE("dimension text is readable", "[units]") {
  CHECK(dim::clearance().dimension().to_string() == "volume/time");
  CHECK(dim::concentration().dimension().to_string() == "amount/volume");
  CHECK(dim::dimensionless().dimension().to_string() == "dimensionless");
}

TEST_CASE("times in the words a student types", "[units]") {
  for (const char* t : {"2 h", "2 hr", "2 hrs", "2 hour", "2 hours", "120 min", "120 minutes"})
    CHECK(parse_quantity(t, dim::time()) == Approx(2.0).epsilon(1e-15));
  CHECK(parse_quantity("1 day", dim::time()) == Approx(24.0));
  CHECK(parse_quantity("3 days", dim::time()) == Approx(72.0));
  CHECK(parse_quantity("1 week", dim::time()) == Approx(168.0));
  CHECK(parse_quantity("2 weeks", dim::time()) == Approx(336.0));
  CHECK(parse_quantity("0.5 /hour", dim::rate()) == Approx(0.5));
  CHECK_THROWS_AS(parse_quantity("2 hourz", dim::time()), UnitError);
}

TEST_CASE("mg/kg is a dose per body weight, never a fraction or a mass", "[units]") {
  CHECK(*parse_dose_per_body_weight("0.1 mg/kg") == Approx(0.1));
  CHECK(*parse_dose_per_body_weight("100 ug/kg") == Approx(0.1));
  CHECK(*parse_dose_per_body_weight("1 mg/g") == Approx(1000.0));
  CHECK_FALSE(parse_dose_per_body_weight("5 mg").has_value());
  CHECK_FALSE(parse_dose_per_body_weight("5 %").has_value());
  for (const ExpectedDimension* e : {&dim::dimensionless(), &dim::mass()}) {
    try {
      parse_quantity("0.1 mg/kg", *e);
      FAIL("mg/kg accepted as " << e->name());
    } catch (const UnitError& err) {
      CHECK_THAT(err.what(), Catch::Contains("dose per body weight"));
    }
  }
}
