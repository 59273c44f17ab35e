// Running a helper program without a shell, capturing what it writes to stderr.
#pragma once

#include <string>
#include <vector>

namespace morsim {

struct ProcessResult {
  int exit_code = -1;   // the program's exit status; -1 when it was killed by a signal
  int term_signal = 0;  // the signal that killed it, or 0
  std::string stderr_text;
};

// Runs argv[0] (an absolute path; PATH is not searched) with the given arguments and the
// current environment. Throws OutputError when it cannot be started.
ProcessResult run_process(const std::vector<std::string>& argv);

}  // namespace morsim
