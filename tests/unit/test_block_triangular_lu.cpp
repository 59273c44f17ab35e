// The block triangular LU of the Rosenbrock iteration matrix against Eigen's dense LU.
#include <algorithm>
#include <catch2/catch.hpp>
#include <numeric>
#include <random>

#include "solver/block_triangular_lu.hpp"
#include "solver/compiled_model.hpp"
#include "support/ref_v1.hpp"

using namespace morsim;

namespace {

// Relative difference of two solutions in the max norm.
double rel_diff(const Eigen::VectorXd& a, const Eigen::VectorXd& b) {
  return (a - b).lpNorm<Eigen::Infinity>() / b.lpNorm<Eigen::Infinity>();
}

std::vector<std::pair<int, int>> pattern_of(const Eigen::MatrixXd& m) {
  std::vector<std::pair<int, int>> nz;
  for (int j = 0; j < m.cols(); ++j)
    for (int i = 0; i < m.rows(); ++i)
      if (m(i, j) != 0.0) nz.emplace_back(i, j);
  return nz;
}

// A random matrix that is block lower triangular in a hidden order: blocks of sizes `sizes`,
// every block dense, some couplings to earlier blocks, then rows and columns shuffled.
Eigen::MatrixXd hidden_block_triangular(const std::vector<int>& sizes, std::mt19937& rng) {
  const int n = std::accumulate(sizes.begin(), sizes.end(), 0);
  std::uniform_real_distribution<double> u(-1.0, 1.0);
  std::bernoulli_distribution coupled(0.3);
  Eigen::MatrixXd m = Eigen::MatrixXd::Zero(n, n);
  int begin = 0;
  for (int s : sizes) {
    for (int i = begin; i < begin + s; ++i) {
      for (int j = begin; j < begin + s; ++j) m(i, j) = u(rng);
      m(i, i) += 3.0 * s;  // well conditioned, as W = I/(gamma h) - J is
      for (int j = 0; j < begin; ++j)
        if (coupled(rng)) m(i, j) = u(rng);
    }
    begin += s;
  }
  std::vector<int> perm(static_cast<std::size_t>(n));
  std::iota(perm.begin(), perm.end(), 0);
  std::shuffle(perm.begin(), perm.end(), rng);
  Eigen::MatrixXd p(n, n);
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j)
      p(i, j) = m(perm[static_cast<std::size_t>(i)], perm[static_cast<std::size_t>(j)]);
  return p;
}

}  // namespace

TEST_CASE("block triangular LU finds the hidden blocks and solves like a dense LU",
          "[solver][lu]") {
  std::mt19937 rng(7);
  // Every size the solve unrolls (2-6) and one beyond it (7), which takes the general loop.
  const std::vector<int> sizes = {1, 3, 1, 1, 2, 5, 1, 4, 1, 6, 7};
  for (int trial = 0; trial < 20; ++trial) {
    const Eigen::MatrixXd w = hidden_block_triangular(sizes, rng);
    BlockTriangularLu lu;
    lu.analyse(w.rows(), pattern_of(w));
    // Couplings may merge nothing: the diagonal blocks are exactly the hidden ones.
    CHECK(lu.block_count() == sizes.size());
    CHECK(lu.largest_block() == 7);
    REQUIRE(lu.compute(w));
    const Eigen::VectorXd b = Eigen::VectorXd::Random(w.rows());
    Eigen::VectorXd x;
    lu.solve(b, x);
    const Eigen::VectorXd ref = w.fullPivLu().solve(b);
    CHECK(rel_diff(x, ref) < 1e-12);
    CHECK((w * x - b).lpNorm<Eigen::Infinity>() < 1e-12);
    lu.solve(x, x);  // in place: x := W^-1 x
    CHECK(rel_diff(x, w.fullPivLu().solve(ref)) < 1e-12);
  }
}

TEST_CASE("block triangular LU of a dense pattern is a dense LU with pivoting", "[solver][lu]") {
  // The first pivot is zero: without row exchanges this would fail.
  Eigen::MatrixXd w(3, 3);
  w << 0, 2, 1, 1, 1, 0, 3, 0, 4;
  BlockTriangularLu lu;
  lu.analyse(3, pattern_of(w));
  CHECK(lu.block_count() == 1);
  REQUIRE(lu.compute(w));
  const Eigen::Vector3d b(1, 2, 3);
  Eigen::VectorXd x;
  lu.solve(b, x);
  CHECK(rel_diff(x, w.fullPivLu().solve(b)) < 1e-14);
}

TEST_CASE("block triangular LU reports a singular block", "[solver][lu]") {
  Eigen::MatrixXd w(3, 3);
  w << 1, 0, 0, 5, 1, 2, 0, 2, 4;  // the block {1, 2} is singular
  BlockTriangularLu lu;
  lu.analyse(3, pattern_of(w));
  CHECK(lu.block_count() == 2);
  CHECK_FALSE(lu.compute(w));
}

TEST_CASE("the ref-v1 iteration matrix solves in flow order, receptor last", "[solver][lu]") {
  const ScenarioSpec spec = testing::ref_v1(testing::RefScenario::kDepot);
  const CompiledModel model(spec);
  const auto n = static_cast<Eigen::Index>(model.size());
  // A state with every ligand in the brain and part of the receptor bound.
  Eigen::VectorXd x = Eigen::VectorXd::Constant(n, 1.0);
  for (const CompoundStates& c : model.compounds())
    if (c.occupancy >= 0) x[c.occupancy] = 0.1;
  Eigen::MatrixXd jac;
  model.jacobian(x, jac);
  for (double h : {1e-4, 1e-2, 1.0, 100.0}) {
    Eigen::MatrixXd w = -jac;
    w.diagonal().array() += 1.0 / (0.25 * h);
    BlockTriangularLu lu;
    lu.analyse(n, model.jacobian_nonzeros());
    REQUIRE(lu.compute(w));
    const Eigen::VectorXd b = Eigen::VectorXd::Random(n);
    Eigen::VectorXd y;
    lu.solve(b, y);
    CHECK(rel_diff(y, w.partialPivLu().solve(b)) < 1e-12);
    // Receptor states form the only block larger than a compartment group, solved last.
    const std::vector<int>& order = lu.solve_order();
    int first_occupancy = static_cast<int>(order.size());
    for (std::size_t k = 0; k < order.size(); ++k)
      if (model.state_units()[static_cast<std::size_t>(order[k])] == "1")
        first_occupancy = std::min(first_occupancy, static_cast<int>(k));
    for (std::size_t k = static_cast<std::size_t>(first_occupancy); k < order.size(); ++k)
      CHECK(model.state_units()[static_cast<std::size_t>(order[k])] == "1");
    CHECK(lu.block_count() > 5);
  }
}

TEST_CASE("the analytic Jacobian equals finite differences of the right-hand side",
          "[solver][jacobian]") {
  ScenarioSpec spec = testing::ref_v1(testing::RefScenario::kOral);
  spec.compounds[0].binding.hill_n = 0.8;  // exercise the non-mass-action branch too
  const CompiledModel model(spec);
  const auto n = static_cast<Eigen::Index>(model.size());
  Eigen::VectorXd x = Eigen::VectorXd::Constant(n, 50.0);
  for (const CompoundStates& c : model.compounds())
    if (c.occupancy >= 0) x[c.occupancy] = 0.15;
  const Eigen::VectorXd u = Eigen::VectorXd::Zero(n);
  Eigen::MatrixXd jac;
  model.jacobian(x, jac);
  Eigen::VectorXd fp, fm;
  for (Eigen::Index j = 0; j < n; ++j) {
    const double h = 1e-6 * std::max(1.0, std::abs(x[j]));
    Eigen::VectorXd xp = x, xm = x;
    xp[j] += h;
    xm[j] -= h;
    model.rhs(xp, u, fp);
    model.rhs(xm, u, fm);
    const Eigen::VectorXd column = (fp - fm) / (2.0 * h);
    for (Eigen::Index i = 0; i < n; ++i) {
      INFO(model.state_names()[static_cast<std::size_t>(i)]
           << " by " << model.state_names()[static_cast<std::size_t>(j)]);
      CHECK(jac(i, j) == Approx(column[i]).epsilon(1e-6).margin(1e-6));
    }
  }
  // Every entry that can be nonzero is in the pattern the block LU is built from.
  std::vector<std::vector<bool>> in_pattern(static_cast<std::size_t>(n),
                                            std::vector<bool>(static_cast<std::size_t>(n)));
  for (const auto& [r, c] : model.jacobian_nonzeros())
    in_pattern[static_cast<std::size_t>(r)][static_cast<std::size_t>(c)] = true;
  for (Eigen::Index i = 0; i < n; ++i)
    for (Eigen::Index j = 0; j < n; ++j)
      if (jac(i, j) != 0.0)
        CHECK(in_pattern[static_cast<std::size_t>(i)][static_cast<std::size_t>(j)]);
}
