// Paragraph templates: "{name}" is replaced by the analysis's number or phrase of that name;
// "{{" and "}}" write literal braces. Names are letters, digits, '_' and '-'. A single line
// break in the template is a space, a blank line a paragraph break.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace morsim {

struct Placeholder {
  std::string name;
  std::size_t offset;  // of the '{' in the text
};

// Throws std::invalid_argument naming the problem for an unclosed '{', a stray '}' or an
// empty or malformed name.
std::vector<Placeholder> template_placeholders(const std::string& text);

// Every placeholder must be in `values` (checked when the config was read).
std::string fill_template(const std::string& text,
                          const std::map<std::string, std::string>& values);

}  // namespace morsim
