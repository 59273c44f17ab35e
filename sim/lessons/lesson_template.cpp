// A deliberately small syntax: teachers write prose, and anything unusual is an error at load
// time rather than a paragraph with a hole in it.
#include "lessons/lesson_template.hpp"

#include <cctype>
#include <stdexcept>

namespace morsim {
namespace {

bool name_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
}

// Walks the text once; `emit` receives literal text and placeholders in order.
template <class Literal, class Hole>
void scan(const std::string& text, Literal literal, Hole hole) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if ((c == '{' || c == '}') && i + 1 < text.size() && text[i + 1] == c) {
      literal(c);
      ++i;
    } else if (c == '}') {
      throw std::invalid_argument("a '}' without '{' at character " + std::to_string(i + 1) +
                                  " (write '}}' for a brace)");
    } else if (c == '{') {
      const std::size_t end = text.find('}', i);
      if (end == std::string::npos)
        throw std::invalid_argument("a '{' that is never closed at character " +
                                    std::to_string(i + 1) + " (write '{{' for a brace)");
      const std::string name = text.substr(i + 1, end - i - 1);
      bool ok = !name.empty();
      for (char n : name) ok = ok && name_char(n);
      if (!ok)
        throw std::invalid_argument("'{" + name +
                                    "}' is not a placeholder name (letters, digits, "
                                    "'_' and '-')");
      hole(Placeholder{name, i});
      i = end;
    } else {
      literal(c);
    }
  }
}

// Prose rules, so a template can be wrapped in the config: one line break is a space, a blank
// line a paragraph break; leading and trailing blanks go.
std::string fold_lines(const std::string& text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\n') {
      out += text[i];
      continue;
    }
    std::size_t j = i;
    while (j < text.size() && text[j] == '\n') ++j;
    out += j - i > 1 ? "\n\n" : " ";
    i = j - 1;
  }
  const auto first = out.find_first_not_of(" \n"), last = out.find_last_not_of(" \n");
  return first == std::string::npos ? "" : out.substr(first, last - first + 1);
}

}  // namespace

std::vector<Placeholder> template_placeholders(const std::string& text) {
  std::vector<Placeholder> out;
  scan(
      text, [](char) {}, [&](const Placeholder& p) { out.push_back(p); });
  return out;
}

std::string fill_template(const std::string& text,
                          const std::map<std::string, std::string>& values) {
  std::string out;
  scan(
      text, [&](char c) { out += c; },
      [&](const Placeholder& p) {
        const auto it = values.find(p.name);
        out += it == values.end() ? "-" : it->second;
      });
  return fold_lines(out);
}

}  // namespace morsim
