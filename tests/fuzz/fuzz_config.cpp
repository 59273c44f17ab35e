// libFuzzer target: arbitrary bytes as a scenario, sweep or population config must load or
// throw one of the library's error types; never crash, hang or leak. The kind is chosen by
// the text, as `morsim demo` tells them apart, so every seed reaches the reader it was
// written for.
#include <cstddef>
#include <cstdint>
#include <string>

#include "config/load_scenario.hpp"
#include "model/errors.hpp"
#include "population/population_spec.hpp"
#include "sweep/sweep_spec.hpp"
#include "units/units.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const morsim::EmbeddedLibrary library;  // the shipped models, no disk access
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    if (morsim::population::is_population_config(text)) {
      (void)morsim::population::load_population_text(text, "fuzz.toml", morsim::EmbeddedLibrary());
    } else if (text.find("[sweep]") != std::string::npos) {
      (void)morsim::sweep::load_sweep_text(text, "fuzz.toml");
    } else {
      const morsim::ScenarioSpec spec = morsim::load_scenario_text(text, "fuzz.toml", library);
      (void)morsim::describe_model(spec);
    }
  } catch (const morsim::ConfigError&) {
  } catch (const morsim::ModelError&) {
  } catch (const morsim::UnitError&) {
  }
  return 0;
}
