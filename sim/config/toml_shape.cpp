// A small scanner over TOML text that knows strings and comments well enough to count key
// parts and bracket nesting outside them; anything subtler is left to the parser.
#include "config/toml_shape.hpp"

#include "model/errors.hpp"

namespace morsim::config {
namespace {

[[noreturn]] void refuse(const std::string& display, int line, const std::string& problem) {
  throw ConfigError(display, line, "(syntax)", problem);
}

}  // namespace

void check_toml_shape(std::string_view text, const std::string& display) {
  if (text.size() > kMaxConfigBytes)
    refuse(display, 1,
           "the file has " + std::to_string(text.size()) + " bytes (allowed: at most " +
               std::to_string(kMaxConfigBytes) + ")");
  int line = 1, depth = 0, parts = 1;
  bool at_line_start = true, in_key = true, in_header = false;
  const std::size_t n = text.size();
  for (std::size_t i = 0; i < n; ++i) {
    const char c = text[i];
    if (c == '\n') {
      ++line;
      at_line_start = true;
      in_header = false;
      in_key = depth == 0;  // a new line outside any array or inline table starts a key
      parts = 1;
      continue;
    }
    if (c == ' ' || c == '\t' || c == '\r') continue;
    if (c == '#') {  // a comment runs to the end of the line
      while (i + 1 < n && text[i + 1] != '\n') ++i;
      continue;
    }
    if (c == '"' || c == '\'') {  // skip a string, single- or multi-line
      const bool triple = i + 2 < n && text[i + 1] == c && text[i + 2] == c;
      const std::string_view close = triple ? std::string_view(&text[i], 3) : text.substr(i, 1);
      i += close.size();
      for (; i < n; ++i) {
        if (text[i] == '\n') ++line;
        if (c == '"' && text[i] == '\\') {
          ++i;
          if (i < n && text[i] == '\n') ++line;
          continue;
        }
        if (text.compare(i, close.size(), close) == 0) break;
      }
      i += close.size() - 1;
      at_line_start = false;
      continue;
    }
    if (at_line_start && c == '[' && depth == 0) in_header = true;
    at_line_start = false;
    if (c == '[' || c == '{') {
      if (!in_header && ++depth > kMaxNesting)
        refuse(display, line,
               "arrays and inline tables nest deeper than " + std::to_string(kMaxNesting) +
                   " levels (allowed: at most " + std::to_string(kMaxNesting) + ")");
      if (c == '{') in_key = true, parts = 1;
      continue;
    }
    if (c == ']' || c == '}') {
      if (!in_header && depth > 0) --depth;
      continue;
    }
    if (c == '=') {
      in_key = false;
      continue;
    }
    if (c == ',') {
      in_key = true;  // the next key of an inline table (or the next array value: harmless)
      parts = 1;
      continue;
    }
    if (c == '.' && (in_key || in_header) && ++parts > kMaxKeyParts)
      refuse(display, line,
             "a key or table header has more than " + std::to_string(kMaxKeyParts) +
                 " dotted parts (allowed: at most " + std::to_string(kMaxKeyParts) + ")");
  }
}

}  // namespace morsim::config
