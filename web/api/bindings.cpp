// The page's entry points, through embind: the module's `run`, `setArmCache`, `csv` and `lessons`.
#include <emscripten/bind.h>

#include "page_run.hpp"

EMSCRIPTEN_BINDINGS(morsim_web) {
  emscripten::register_vector<std::string>("StringList");
  emscripten::function("run", &morsim::web::run_lesson_config);
  emscripten::function("setArmCache", &morsim::web::set_arm_cache);
  emscripten::function("csv", &morsim::web::last_run_csv);
  emscripten::function("lessons", &morsim::web::builtin_lessons);
}
