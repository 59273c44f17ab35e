// Bounds on a config file's shape, checked on the raw text before the TOML parser sees it:
// the parser recurses per key part and per nesting level, so a dotted key with 50,000 parts
// would exhaust the stack rather than give an error.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace morsim::config {

inline constexpr std::size_t kMaxConfigBytes = 8u << 20;  // 8 MiB: far beyond any scenario
inline constexpr int kMaxKeyParts = 64;                   // a.b.c... in one key or header
inline constexpr int kMaxNesting = 64;                    // [ and { inside each other

// Throws ConfigError(display, line, "(syntax)", ...) naming the limit that is exceeded.
void check_toml_shape(std::string_view text, const std::string& display);

}  // namespace morsim::config
