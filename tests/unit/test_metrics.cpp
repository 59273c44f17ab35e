// Sweep metrics on curves whose values are known by hand.
#include <catch2/catch.hpp>
#include <cmath>
#include <vector>

#include "analysis/metrics.hpp"

using namespace morsim;

TEST_CASE("metrics: peak, value at a time and AUC of a triangle", "[sweep][metrics]") {
  // 0 -> 1 at t = 1 -> 0 at t = 3: area 1.5, peak 1, value 0.5 at t = 0.5 and at t = 2.
  const std::vector<double> t{0, 1, 3}, y{0, 1, 0};
  CHECK(series_peak(y) == 1.0);
  CHECK(series_value_at(t, y, 0.5) == Approx(0.5));
  CHECK(series_value_at(t, y, 2.0) == Approx(0.5));
  CHECK(series_value_at(t, y, 3.0) == 0.0);
  CHECK(std::isnan(series_value_at(t, y, 3.5)));
  CHECK(series_auc(t, y) == Approx(1.5));
  CHECK(std::isnan(series_peak({})));
}

TEST_CASE("metrics: time above a level interpolates the crossings", "[sweep][metrics]") {
  // Above 0.5 from t = 0.5 to t = 2: 1.5 h.
  const std::vector<double> t{0, 1, 3}, y{0, 1, 0};
  CHECK(series_time_above(t, y, 0.5) == Approx(1.5));
  CHECK(series_time_above(t, y, 0.0) == Approx(3.0));
  CHECK(series_time_above(t, y, 2.0) == 0.0);
  // Antagonist occupancy of a one-compartment washout, occ = exp(-k t) sampled finely: above
  // 0.9 until ln(1/0.9)/k.
  const double k = 0.1;
  std::vector<double> tt, yy;
  for (int i = 0; i <= 2000; ++i) {
    tt.push_back(i * 0.01);
    yy.push_back(std::exp(-k * tt.back()));
  }
  CHECK(series_time_above(tt, yy, 0.9) == Approx(std::log(1 / 0.9) / k).epsilon(1e-4));
  CHECK(series_auc(tt, yy) == Approx((1 - std::exp(-k * 20)) / k).epsilon(1e-6));
}

TEST_CASE("metrics: blockade against the control peak", "[sweep][metrics]") {
  CHECK(blockade_fraction(0.2, 0.8) == Approx(0.75));
  CHECK(blockade_fraction(0.8, 0.8) == 0.0);
  CHECK(std::isnan(blockade_fraction(0.1, 0.0)));
}

TEST_CASE("metrics: surmounting dose of an Emax response by log bisection", "[sweep][metrics]") {
  // Competitive antagonism: occ(D) = D / (D + EC50 (1 + B)); with EC50 = 10 mg and B = 9 the
  // dose for 50% is 100 mg, for 90% 900 mg.
  const auto occ = [](double d) { return d / (d + 10.0 * (1 + 9.0)); };
  int evals = 0;
  CHECK(solve_dose_for_response(occ, 0.5, 0.01, 1e5, 1e-4, &evals) == Approx(100).epsilon(2e-4));
  CHECK(evals < 40);
  CHECK(solve_dose_for_response(occ, 0.9, 0.01, 1e5, 1e-4) == Approx(900).epsilon(2e-4));
  CHECK(std::isnan(solve_dose_for_response(occ, 0.9999, 0.01, 1e5)));  // needs 1e6 mg
  CHECK(solve_dose_for_response(occ, 1e-6, 0.01, 1e5) == 0.01);        // reached at lo already
}
