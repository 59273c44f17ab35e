// The lesson kinds: analyses written in C++ that a scenario's [lesson] table selects by
// `kind` and configures with roles (which arm is the control, which are treated), settings
// and a paragraph template. Nothing here looks at the scenario's or an arm's name beyond
// what the roles say.
#pragma once

#include <hdf5.h>

#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "model/scenario.hpp"
#include "model/trajectory.hpp"

namespace morsim {

struct LessonRole {
  std::string key;  // the [lesson] key, e.g. "control"
  bool many;        // a list of arms (treated = ["a", "b"]) rather than one
  bool required;
  std::string what;  // for messages and docs
};

enum class SettingType { kNumber, kNumbers, kCompound, kCompounds };
struct LessonSetting {
  std::string key;
  SettingType type;
  std::string what;
};

// What an analysis adds to the run before the results file is written (once).
struct LessonOutput {
  std::map<std::string, std::string> values;  // placeholder -> formatted text
  std::vector<Trajectory> extra_arms;         // written after the scenario's arms
  std::vector<std::pair<std::string, std::string>> root_attributes;
  std::vector<std::function<void(hid_t file)>> groups;  // extra HDF5 groups
};

using LessonAnalysis = LessonOutput (*)(const ScenarioSpec&, const LessonSpec&,
                                        const std::vector<Trajectory>&);

struct LessonKind {
  std::string name;
  std::string what;
  std::vector<LessonRole> roles;
  std::vector<LessonSetting> settings;
  std::vector<std::string> placeholders;  // every name the analysis fills
  LessonAnalysis analyse;
};

const std::vector<LessonKind>& lesson_kinds();
const LessonKind* find_lesson_kind(const std::string& name);

}  // namespace morsim
