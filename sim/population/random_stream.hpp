// Counter-based random numbers for virtual patients: every subject owns streams keyed by
// (seed, purpose, arm, subject), so a subject's draws never depend on which thread ran it or
// on how many subjects ran before it. SplitMix64 (Steele, Lea & Flood 2014) is itself a
// counter generator: value k of a stream is mix(key + k * golden gamma).
#pragma once

#include <cstdint>

namespace morsim::population {

// What a stream is used for; separate streams keep e.g. adherence draws unchanged when a
// variability distribution is added to the config.
enum class StreamPurpose : std::uint64_t {
  kParameters = 1,  // body weight and between-subject variability (shared by all arms)
  kHeroinUse = 2,   // random heroin use pattern (shared by all arms)
  kAdherence = 3,   // tablets, injections, stop date (per arm)
};

std::uint64_t splitmix64_mix(std::uint64_t z);

class RandomStream {
 public:
  // `arm` is ignored by callers for purposes shared by all arms (pass 0): the same subject
  // then has the same physiology and drug use in every arm (a paired comparison).
  RandomStream(std::uint64_t seed, StreamPurpose purpose, std::uint64_t arm, std::uint64_t subject);

  std::uint64_t next_u64();
  double uniform();          // in (0, 1), 53-bit resolution, never 0 or 1
  double standard_normal();  // Box-Muller, both values used
  double exponential(double mean);
  bool bernoulli(double p) { return uniform() < p; }

 private:
  std::uint64_t key_;
  std::uint64_t counter_ = 0;
  bool have_spare_ = false;
  double spare_ = 0.0;
};

}  // namespace morsim::population
