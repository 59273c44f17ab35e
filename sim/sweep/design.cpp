// Grid decomposition of the index, and counter-based random / LHS / Sobol sampling.
#include "sweep/design.hpp"

#include <array>
#include <cmath>
#include <stdexcept>

namespace morsim::sweep {

std::uint64_t splitmix64(std::uint64_t x) {
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

double counter_uniform(std::uint64_t seed, std::uint64_t stream, std::uint64_t index) {
  const std::uint64_t h = splitmix64(splitmix64(splitmix64(seed) ^ stream) ^ index);
  return (static_cast<double>(h >> 11) + 0.5) * 0x1.0p-53;  // never exactly 0 or 1
}

std::uint64_t permute_index(std::uint64_t i, std::uint64_t n, std::uint64_t key) {
  if (n <= 1) return 0;
  int bits = 2;
  while ((std::uint64_t{1} << bits) < n) bits += 2;  // an even width: two equal halves
  const int half = bits / 2;
  const std::uint64_t mask = (std::uint64_t{1} << half) - 1;
  // A 4-round Feistel network is a bijection on [0, 2^bits); walking the cycle until the value
  // falls below n restricts it to a bijection on [0, n).
  std::uint64_t x = i;
  do {
    std::uint64_t l = x >> half, r = x & mask;
    for (std::uint64_t round = 0; round < 4; ++round) {
      const std::uint64_t f = splitmix64(key ^ (r + (round << 40))) & mask;
      const std::uint64_t nl = r;
      r = l ^ f;
      l = nl;
    }
    x = (l << half) | r;
  } while (x >= n);
  return x;
}

namespace {

// Joe & Kuo (2008) new-joe-kuo-6.21201, dimensions 2..21: degree s, coefficients a, m_1..m_s.
struct Direction {
  unsigned s, a;
  std::array<unsigned, 7> m;
};
constexpr Direction kJoeKuo[kSobolMaxDims - 1] = {
    {1, 0, {1}},
    {2, 1, {1, 3}},
    {3, 1, {1, 3, 1}},
    {3, 2, {1, 1, 1}},
    {4, 1, {1, 1, 3, 3}},
    {4, 4, {1, 3, 5, 13}},
    {5, 2, {1, 1, 5, 5, 17}},
    {5, 4, {1, 1, 5, 5, 5}},
    {5, 7, {1, 1, 7, 11, 19}},
    {5, 11, {1, 1, 5, 1, 1}},
    {5, 13, {1, 1, 1, 3, 11}},
    {5, 14, {1, 3, 5, 5, 31}},
    {6, 1, {1, 3, 3, 9, 7, 49}},
    {6, 13, {1, 1, 1, 15, 21, 21}},
    {6, 16, {1, 3, 1, 13, 27, 49}},
    {6, 19, {1, 1, 1, 15, 7, 5}},
    {6, 22, {1, 3, 1, 15, 13, 25}},
    {6, 25, {1, 1, 5, 5, 19, 61}},
    {7, 1, {1, 3, 7, 11, 23, 15, 103}},
    {7, 4, {1, 3, 7, 13, 13, 15, 69}},
};

using DirectionTable = std::array<std::array<std::uint32_t, 32>, kSobolMaxDims>;

DirectionTable make_directions() {
  DirectionTable v{};
  for (unsigned k = 0; k < 32; ++k) v[0][k] = 1u << (31 - k);
  for (std::size_t d = 1; d < kSobolMaxDims; ++d) {
    const Direction& dir = kJoeKuo[d - 1];
    const unsigned s = dir.s;
    for (unsigned k = 0; k < s; ++k) v[d][k] = dir.m[k] << (31 - k);
    for (unsigned k = s; k < 32; ++k) {
      std::uint32_t x = v[d][k - s] ^ (v[d][k - s] >> s);
      for (unsigned j = 1; j < s; ++j)
        if ((dir.a >> (s - 1 - j)) & 1u) x ^= v[d][k - j];
      v[d][k] = x;
    }
  }
  return v;
}

const DirectionTable& directions() {
  static const DirectionTable table = make_directions();
  return table;
}

}  // namespace

double sobol_coordinate(std::uint64_t index, std::size_t dim) {
  const auto& v = directions()[dim];
  std::uint32_t x = 0;
  for (unsigned k = 0; k < 32 && index != 0; ++k, index >>= 1)
    if (index & 1u) x ^= v[k];
  return static_cast<double>(x) * 0x1.0p-32;
}

double inverse_normal_cdf(double p) {
  static const double a[] = {-3.969683028665376e+01, 2.209460984245205e+02,  -2.759285104469687e+02,
                             1.383577518672690e+02,  -3.066479806614716e+01, 2.506628277459239e+00};
  static const double b[] = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
                             6.680131188771972e+01, -1.328068155288572e+01};
  static const double c[] = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
                             -2.549732539343734e+00, 4.374664141464968e+00,  2.938163982698783e+00};
  static const double d[] = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
                             3.754408661907416e+00};
  constexpr double p_low = 0.02425;
  if (p < p_low) {
    const double q = std::sqrt(-2 * std::log(p));
    return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
           ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  if (p > 1 - p_low) return -inverse_normal_cdf(1 - p);
  const double q = p - 0.5, r = q * q;
  return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
         (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}

double Axis::at_quantile(double u) const {
  switch (kind) {
    case Kind::kValues: {
      auto i = static_cast<std::size_t>(u * static_cast<double>(values.size()));
      return values[std::min(i, values.size() - 1)];
    }
    case Kind::kRange:
      if (log_scale) return std::exp(std::log(from) + u * (std::log(to) - std::log(from)));
      return from + u * (to - from);
    case Kind::kDistribution:
      switch (dist) {
        case Dist::kUniform:
          return from + u * (to - from);
        case Dist::kLogUniform:
          return std::exp(std::log(from) + u * (std::log(to) - std::log(from)));
        case Dist::kLogNormal:
          return median * std::exp(sigma * inverse_normal_cdf(u));
      }
  }
  return values.front();
}

DesignKind parse_design_kind(const std::string& text) {
  if (text == "grid") return DesignKind::kGrid;
  if (text == "random") return DesignKind::kRandom;
  if (text == "lhs" || text == "latin-hypercube") return DesignKind::kLatinHypercube;
  if (text == "sobol") return DesignKind::kSobol;
  throw std::invalid_argument("unknown design '" + text + "' (allowed: grid, random, lhs, sobol)");
}

const char* to_string(DesignKind kind) {
  switch (kind) {
    case DesignKind::kGrid:
      return "grid";
    case DesignKind::kRandom:
      return "random";
    case DesignKind::kLatinHypercube:
      return "lhs";
    case DesignKind::kSobol:
      return "sobol";
  }
  return "?";
}

Design::Design(DesignKind kind, std::vector<Axis> axes, std::uint64_t n, std::uint64_t seed)
    : kind_(kind), axes_(std::move(axes)), seed_(seed) {
  if (kind_ == DesignKind::kGrid) {
    size_ = 1;
    for (const Axis& a : axes_) {
      if (a.kind == Axis::Kind::kDistribution)
        throw std::invalid_argument("a distribution needs a sampled design (random, lhs, sobol)");
      size_ *= a.values.size();
    }
  } else {
    size_ = n;
    if (kind_ == DesignKind::kSobol && axes_.size() > kSobolMaxDims)
      throw std::invalid_argument("Sobol design supports at most " + std::to_string(kSobolMaxDims) +
                                  " parameters");
  }
  if (size_ == 0) throw std::invalid_argument("the design has no points");
}

double Design::unit(std::uint64_t index, std::size_t dim) const {
  switch (kind_) {
    case DesignKind::kRandom:
      return counter_uniform(seed_, dim, index);
    case DesignKind::kLatinHypercube: {
      // Stratum permute(index) of n, jittered inside the stratum: each stratum gets one point.
      const std::uint64_t key = splitmix64(seed_ ^ splitmix64(dim + 0x51ED27ULL));
      const double stratum = static_cast<double>(permute_index(index, size_, key));
      return (stratum + counter_uniform(seed_, dim + 0x1000, index)) / static_cast<double>(size_);
    }
    case DesignKind::kSobol: {
      // Digitally shifted by a seeded 32-bit mask: the shift keeps the net property (each
      // dyadic stratum of the first 2^k points stays filled once); +2^-33 keeps values off 0.
      const auto shift = static_cast<std::uint32_t>(splitmix64(seed_ ^ (dim * 0x9E37ULL)) >> 32);
      const auto x = static_cast<std::uint32_t>(sobol_coordinate(index, dim) * 0x1.0p32);
      return static_cast<double>(x ^ (seed_ == 0 ? 0u : shift)) * 0x1.0p-32 + 0x1.0p-33;
    }
    case DesignKind::kGrid:
      break;
  }
  return 0.5;
}

void Design::point(std::uint64_t index, double* out) const {
  if (kind_ == DesignKind::kGrid) {
    // Row-major: the last parameter varies fastest.
    for (std::size_t j = axes_.size(); j-- > 0;) {
      const std::uint64_t n = axes_[j].values.size();
      out[j] = axes_[j].values[index % n];
      index /= n;
    }
    return;
  }
  for (std::size_t j = 0; j < axes_.size(); ++j) out[j] = axes_[j].at_quantile(unit(index, j));
}

}  // namespace morsim::sweep
