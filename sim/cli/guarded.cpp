// Maps the library's exceptions to exit codes: bad input 2, failed run 1.
#include <iostream>

#include "cli/commands.hpp"
#include "model/errors.hpp"
#include "units/units.hpp"

namespace morsim::cli {

int guarded(const char* command, const std::function<int()>& body) {
  try {
    return body();
  } catch (const ConfigError& e) {
    std::cerr << "morsim " << command << ": " << e.what() << "\n";
    return kBadInput;
  } catch (const ModelError& e) {
    std::cerr << "morsim " << command << ": invalid model: " << e.what() << "\n";
    return kBadInput;
  } catch (const UnitError& e) {
    std::cerr << "morsim " << command << ": " << e.what() << "\n";
    return kBadInput;
  } catch (const InputFileError& e) {
    std::cerr << "morsim " << command << ": " << e.what() << "\n";
    return kBadInput;
  } catch (const SolverError& e) {
    std::cerr << "morsim " << command << ": " << e.what() << "\n";
    return kRunFailure;
  } catch (const OutputError& e) {
    std::cerr << "morsim " << command << ": " << e.what() << "\n";
    return kRunFailure;
  } catch (const std::exception& e) {
    std::cerr << "morsim " << command << ": " << e.what() << "\n";
    return kRunFailure;
  }
}

}  // namespace morsim::cli
