// The catalogue of lesson kinds: roles, settings and placeholders are what the [lesson]
// table is checked against when a config is read (sim/config/parse_lesson.cpp).
#include "lessons/kinds.hpp"
#include "lessons/lesson_kind.hpp"

namespace morsim {

const std::vector<LessonKind>& lesson_kinds() {
  using S = SettingType;
  static const std::vector<LessonKind> kinds = {
      {"blockade",
       "how long an antagonist holds the receptors and what repeated agonist challenges reach",
       {{"control", false, true, "the arm with the challenges alone"},
        {"treated", false, true, "the arm with the antagonist and the same challenges"}},
       {{"high", S::kNumber, "occupancy of a strong block (default 0.9)"},
        {"low", S::kNumber, "occupancy of a partial block (default 0.5)"}},
       {"dose", "control_peak", "control_effect", "high", "low", "hold", "end_time",
        "challenge_peaks", "blockades", "first_peak", "last_peak", "first_blockade",
        "last_blockade", "first_time", "last_time"},
       lessons::analyse_blockade},
      {"missed-doses",
       "how fast the block of a daily antagonist decays after the last dose taken",
       {{"control", false, true, "the arm with the challenges alone"},
        {"treated", false, true, "the arm with the antagonist doses, some missed"}},
       {{"hours_after_last_dose", S::kNumbers, "when to report the block (default [2, 24, 48])"},
        {"compounds", S::kCompounds, "compounds whose share of the block is reported"}},
       {"missed", "last_dose", "after_last_dose", "challenge", "challenges"},
       lessons::analyse_missed_doses},
      {"surmount",
       "the agonist dose that overcomes a competitive block, day by day",
       {{"control", false, true, "the arm with the usual challenge alone"},
        {"treated", true, true,
         "arms with the antagonist and larger challenges; the first "
         "one's antagonist schedule is used for the search"}},
       {{"days", S::kNumbers, "days on which to find the surmounting dose (default [1, 7, 14])"},
        {"target", S::kNumber, "occupancy to reach (default: the control's peak)"}},
       {"dose", "control_peak", "target", "challenges", "surmounting_doses", "trend"},
       lessons::analyse_surmount},
      {"schild",
       "agonist dose-occupancy curves at fixed antagonist levels, dose ratios, Schild plot",
       {{"control", false, true, "steady-state agonist infusion, no antagonist"},
        {"treated", true, true, "the same with one antagonist infusion rate each"}},
       {},
       {"agonist", "antagonist", "control_ec50", "levels", "slope", "pA2", "kn_estimate",
        "kn_model"},
       lessons::analyse_schild},
      {"maintenance",
       "one agonist challenge on top of maintenance drugs: occupancy against effect",
       {{"control", false, false, "the challenge without maintenance"},
        {"treated", true, true, "the challenge on each maintenance drug"}},
       {},
       {"challenge", "control_peak", "control_effect", "treated"},
       lessons::analyse_maintenance},
      {"binding-mode",
       "the compared arms again with equilibrium binding, beside the kinetic run",
       {{"compare", true, true, "arms to run with both binding modes"}},
       {{"fast", S::kCompound, "a compound that dissociates fast (its half-life is reported)"},
        {"slow", S::kCompound, "a compound that dissociates slowly"}},
       {"compared", "fast", "slow", "fast_koff_half_life", "slow_koff_half_life"},
       lessons::analyse_binding_mode},
      {"rescue",
       "an antagonist given after an agonist overdose: displacement and renarcotisation",
       {{"alone", false, true, "the agonist alone"},
        {"im", false, true, "the agonist, then the antagonist by the slower route"},
        {"iv", false, true, "the agonist, then the antagonist by the faster route"},
        {"slow", false, true, "a slowly dissociating agonist with the slower route"}},
       {{"below", S::kNumber, "agonist occupancy to fall below (default 0.8)"}},
       {"below", "alone_peak", "alone_end", "end_time", "im_time", "im_below_time", "iv_time",
        "iv_below_time", "iv_low", "iv_low_time", "iv_end", "slow_end"},
       lessons::analyse_rescue},
  };
  return kinds;
}

const LessonKind* find_lesson_kind(const std::string& name) {
  for (const LessonKind& k : lesson_kinds())
    if (k.name == name) return &k;
  return nullptr;
}

}  // namespace morsim
