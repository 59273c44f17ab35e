// The agonist-versus-antagonist lesson: one heroin challenge on top of maintenance drugs.
#pragma once

#include <string>
#include <vector>

#include "model/scenario.hpp"
#include "model/trajectory.hpp"

namespace morsim {

// What the last agonist-producing dose of an arm (the challenge) adds on top of everything
// else the arm holds at the receptor when it is given.
struct ChallengeOnTop {
  std::string arm;
  std::string challenge;    // the compound of the challenge dose
  std::string maintenance;  // the other binding compounds dosed, "" for none
  double challenge_time_h = 0.0;
  double maintenance_occupancy = 0.0;     // by everything not formed from the challenge, at dosing
  double effect_before = 0.0;             // effect at dosing
  double challenge_peak_occupancy = 0.0;  // max occupancy by the challenge and its metabolites
  double challenge_peak_time_h = 0.0;     // when it is reached
  double peak_effect = 0.0;               // max effect after dosing
  double increment() const { return peak_effect - effect_before; }
};

// Values on the solver's dense output for the arms `spec` describes (so they do not depend on
// the output grid); an arm it does not describe is read off its samples.
std::vector<ChallengeOnTop> analyse_challenge_on_top(const ScenarioSpec& spec,
                                                     const std::vector<Trajectory>& arms);

}  // namespace morsim
