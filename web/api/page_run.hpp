// One run for the page: the config (after the controls' edits) loaded with the built-in models,
// every arm simulated, the lesson analysed; returned as a JavaScript object.
#pragma once

#include <emscripten/val.h>

#include <string>
#include <vector>

namespace morsim::web {

// {ok, error, toml, name, description, paragraph, values, mode, end_h, doses, parameters,
//  arms: [{name, compounds, agonist, t_h, plasma_nM[k], brain_nM[k], occupancy[k],
//          free_receptor, effect, challenges}], simulated, reused (arm names: run again, or
//  taken from the last run), run_ms, engine_ms: {load, keys, simulate, lesson, challenges,
//  transfer, cache}}
// Errors (bad edits, config problems, solver failures) come back as ok = false with the
// engine's one-line message; nothing throws into JavaScript.
emscripten::val run_lesson_config(const std::string& toml_text, const std::string& display_name,
                                  const std::vector<std::string>& edits);

// Arms are simulated again only when what they depend on changed (their key: the resolved
// config with only that arm and the models it uses). With false, runs simulate every arm and
// neither read nor replace the cache (the browser test compares the two).
void set_arm_cache(bool enabled);

// The CSV of the last run that succeeded: the columns of `morsim export --csv`, with the arm
// first; empty before any.
std::string last_run_csv();

// The built-in lesson configs: [{path, text}] for configs/demo/*.toml that have a [lesson].
emscripten::val builtin_lessons();

}  // namespace morsim::web
