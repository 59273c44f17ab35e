// Which parameter values each scenario of a sweep gets: a full grid or a seeded sample.
// A point is a pure function of (design, seed, index), so scenarios can run in any order on
// any thread and a sweep repeats exactly.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace morsim::sweep {

// The values one parameter takes, in internal units.
struct Axis {
  enum class Kind { kValues, kRange, kDistribution };
  enum class Dist { kUniform, kLogUniform, kLogNormal };
  Kind kind = Kind::kValues;
  std::vector<double> values;   // kValues and kRange (the range's n points)
  bool log_scale = false;       // kRange
  double from = 0.0, to = 0.0;  // kRange and uniform distributions
  Dist dist = Dist::kUniform;
  double median = 0.0, sigma = 0.0;  // log-normal: median and sd of the log

  // The value at quantile u in (0, 1) when sampling: a list by index, a range continuously
  // (log-uniform for log ranges), a distribution through its inverse CDF.
  double at_quantile(double u) const;
};

enum class DesignKind { kGrid, kRandom, kLatinHypercube, kSobol };

DesignKind parse_design_kind(const std::string& text);  // throws std::invalid_argument
const char* to_string(DesignKind kind);

class Design {
 public:
  // `n` is the sample size of sampled designs (ignored for the grid, whose size is the product
  // of the axis sizes). Throws std::invalid_argument for a distribution in a grid, an empty
  // design, or too many dimensions for Sobol.
  Design(DesignKind kind, std::vector<Axis> axes, std::uint64_t n, std::uint64_t seed);

  std::uint64_t size() const { return size_; }
  std::size_t dims() const { return axes_.size(); }
  DesignKind kind() const { return kind_; }
  // The parameter values of scenario `index` (dims() values, internal units).
  void point(std::uint64_t index, double* out) const;
  // The unit-cube coordinates of a sampled design's point (for tests).
  double unit(std::uint64_t index, std::size_t dim) const;

 private:
  DesignKind kind_;
  std::vector<Axis> axes_;
  std::uint64_t size_ = 0;
  std::uint64_t seed_ = 0;
};

// Counter-based randomness: a uniform in (0, 1) from (seed, stream, index), no shared state.
double counter_uniform(std::uint64_t seed, std::uint64_t stream, std::uint64_t index);
std::uint64_t splitmix64(std::uint64_t x);
// A pseudo-random permutation of [0, n) keyed by `key` (Feistel network + cycle walking).
std::uint64_t permute_index(std::uint64_t i, std::uint64_t n, std::uint64_t key);
// Coordinate `dim` (< kSobolMaxDims) of Sobol point `index` (Joe & Kuo 2008 directions), in
// [0, 1) with 32-bit resolution.
constexpr std::size_t kSobolMaxDims = 21;
double sobol_coordinate(std::uint64_t index, std::size_t dim);
// Inverse of the standard normal CDF (Acklam's rational approximation, |rel error| < 1.2e-9).
double inverse_normal_cdf(double p);

}  // namespace morsim::sweep
