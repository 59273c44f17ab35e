// Sweep designs: grid order, seeded samples that repeat, LHS and Sobol stratification.
#include <catch2/catch.hpp>
#include <cmath>
#include <set>
#include <vector>

#include "sweep/design.hpp"

using namespace morsim::sweep;

namespace {

Axis values(std::vector<double> v) {
  Axis a;
  a.values = std::move(v);
  return a;
}

Axis uniform(double from, double to) {
  Axis a;
  a.kind = Axis::Kind::kDistribution;
  a.from = from;
  a.to = to;
  return a;
}

}  // namespace

TEST_CASE("sweep design: a grid is row-major, last parameter fastest", "[sweep]") {
  const Design d(DesignKind::kGrid, {values({1, 2}), values({10, 20, 30})}, 0, 0);
  REQUIRE(d.size() == 6);
  double p[2];
  const double expect[6][2] = {{1, 10}, {1, 20}, {1, 30}, {2, 10}, {2, 20}, {2, 30}};
  for (std::uint64_t i = 0; i < 6; ++i) {
    d.point(i, p);
    CHECK(p[0] == expect[i][0]);
    CHECK(p[1] == expect[i][1]);
  }
  CHECK_THROWS(Design(DesignKind::kGrid, {uniform(0, 1)}, 0, 0));
}

TEST_CASE("sweep design: samples repeat exactly with the seed, per index", "[sweep]") {
  for (DesignKind k : {DesignKind::kRandom, DesignKind::kLatinHypercube, DesignKind::kSobol}) {
    const Design a(k, {uniform(0, 1), uniform(5, 6)}, 100, 42);
    const Design b(k, {uniform(0, 1), uniform(5, 6)}, 100, 42);
    const Design c(k, {uniform(0, 1), uniform(5, 6)}, 100, 43);
    int differ = 0;
    for (std::uint64_t i = 0; i < 100; ++i) {
      double pa[2], pb[2], pc[2];
      a.point(99 - i, pa);  // order of evaluation does not matter
      b.point(99 - i, pb);
      c.point(99 - i, pc);
      CHECK(pa[0] == pb[0]);
      CHECK(pa[1] == pb[1]);
      CHECK(pa[1] >= 5.0);
      CHECK(pa[1] < 6.0);
      differ += pa[0] != pc[0];
    }
    CHECK(differ > 90);
  }
}

TEST_CASE("sweep design: Latin hypercube puts one point in each stratum", "[sweep]") {
  const std::uint64_t n = 97;
  const Design d(DesignKind::kLatinHypercube, {uniform(0, 1), uniform(0, 1), uniform(0, 1)}, n, 7);
  for (std::size_t dim = 0; dim < 3; ++dim) {
    std::set<std::uint64_t> strata;
    for (std::uint64_t i = 0; i < n; ++i)
      strata.insert(static_cast<std::uint64_t>(std::floor(d.unit(i, dim) * n)));
    CHECK(strata.size() == n);
  }
  // The index permutation is a bijection also for sizes that are not powers of two.
  std::set<std::uint64_t> seen;
  for (std::uint64_t i = 0; i < 1000; ++i) seen.insert(permute_index(i, 1000, 123));
  CHECK(seen.size() == 1000);
  CHECK(*seen.rbegin() == 999);
}

TEST_CASE("sweep design: Sobol points fill dyadic strata (Joe-Kuo directions)", "[sweep]") {
  // Direct (non-Gray-code) order: 0, 1/2, 1/4, 3/4 in dimension 0 (van der Corput) and
  // 0, 1/2, 3/4, 1/4 in dimension 1 (v2 = 1/2 ^ 1/4).
  CHECK(sobol_coordinate(1, 0) == 0.5);
  CHECK(sobol_coordinate(2, 0) == 0.25);
  CHECK(sobol_coordinate(3, 0) == 0.75);
  CHECK(sobol_coordinate(2, 1) == 0.75);
  CHECK(sobol_coordinate(3, 1) == 0.25);
  // Each of the first 2^k points falls in its own interval of width 2^-k, in every dimension,
  // also after the seeded digital shift.
  const std::uint64_t n = 256;
  std::vector<Axis> axes(kSobolMaxDims, uniform(0, 1));
  const Design d(DesignKind::kSobol, axes, n, 99);
  for (std::size_t dim = 0; dim < kSobolMaxDims; ++dim) {
    std::set<std::uint64_t> strata;
    for (std::uint64_t i = 0; i < n; ++i)
      strata.insert(static_cast<std::uint64_t>(std::floor(d.unit(i, dim) * n)));
    CHECK(strata.size() == n);
  }
  // Dimensions 0 and 1 form a (0, m, 2)-net: 16 points, one in each 1/4 x 1/4 box.
  std::set<std::pair<int, int>> boxes;
  for (std::uint64_t i = 0; i < 16; ++i)
    boxes.insert({static_cast<int>(d.unit(i, 0) * 4), static_cast<int>(d.unit(i, 1) * 4)});
  CHECK(boxes.size() == 16);
  CHECK_THROWS(
      Design(DesignKind::kSobol, std::vector<Axis>(kSobolMaxDims + 1, uniform(0, 1)), 4, 0));
}

TEST_CASE("sweep design: axis quantiles of lists, log ranges and log-normals", "[sweep]") {
  CHECK(values({1, 2, 3}).at_quantile(0.5) == 2);
  Axis r;
  r.kind = Axis::Kind::kRange;
  r.log_scale = true;
  r.from = 1;
  r.to = 100;
  CHECK(r.at_quantile(0.5) == Approx(10));
  Axis ln;
  ln.kind = Axis::Kind::kDistribution;
  ln.dist = Axis::Dist::kLogNormal;
  ln.median = 2.0;
  ln.sigma = 0.5;
  CHECK(ln.at_quantile(0.5) == Approx(2.0));
  CHECK(ln.at_quantile(0.975) == Approx(2.0 * std::exp(0.5 * 1.959964)).epsilon(1e-6));
  CHECK(inverse_normal_cdf(0.001) == Approx(-3.090232).epsilon(1e-6));
}
