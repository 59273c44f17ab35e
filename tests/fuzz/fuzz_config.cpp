// libFuzzer target: arbitrary bytes as a scenario config must load or throw one of the
// library's error types; never crash, hang or leak.
#include <cstddef>
#include <cstdint>
#include <string>

#include "config/load_scenario.hpp"
#include "model/errors.hpp"
#include "units/units.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const morsim::EmbeddedLibrary library;  // the shipped models, no disk access
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    const morsim::ScenarioSpec spec = morsim::load_scenario_text(text, "fuzz.toml", library);
    (void)morsim::describe_model(spec);
  } catch (const morsim::ConfigError&) {
  } catch (const morsim::ModelError&) {
  } catch (const morsim::UnitError&) {
  }
  return 0;
}
