// SplitMix64 streams; see random_stream.hpp for why the generator is counter-based.
#include "population/random_stream.hpp"

#include <cmath>

namespace morsim::population {

namespace {
constexpr std::uint64_t kGoldenGamma = 0x9e3779b97f4a7c15ULL;
constexpr double kTwoPi = 6.283185307179586476925286766559;
}  // namespace

std::uint64_t splitmix64_mix(std::uint64_t z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

RandomStream::RandomStream(std::uint64_t seed, StreamPurpose purpose, std::uint64_t arm,
                           std::uint64_t subject) {
  // Chained mixing so that nearby (seed, arm, subject) tuples give unrelated keys.
  std::uint64_t k = splitmix64_mix(seed + kGoldenGamma);
  k = splitmix64_mix(k ^ (static_cast<std::uint64_t>(purpose) * kGoldenGamma));
  k = splitmix64_mix(k ^ (arm + 0x632be59bd9b4e019ULL));
  key_ = splitmix64_mix(k ^ (subject * 0xd1b54a32d192ed03ULL));
}

std::uint64_t RandomStream::next_u64() {
  ++counter_;
  return splitmix64_mix(key_ + counter_ * kGoldenGamma);
}

double RandomStream::uniform() { return (static_cast<double>(next_u64() >> 11) + 0.5) * 0x1.0p-53; }

double RandomStream::standard_normal() {
  if (have_spare_) {
    have_spare_ = false;
    return spare_;
  }
  const double r = std::sqrt(-2.0 * std::log(uniform()));
  const double a = kTwoPi * uniform();
  spare_ = r * std::sin(a);
  have_spare_ = true;
  return r * std::cos(a);
}

double RandomStream::exponential(double mean) { return -mean * std::log(uniform()); }

}  // namespace morsim::population
