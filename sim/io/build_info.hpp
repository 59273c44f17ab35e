#pragma once

// The commit the program was built from ("unknown" outside a git checkout). Defined in a
// file generated at configure time, so a new commit recompiles that file alone.
const char* morsim_git_sha();
