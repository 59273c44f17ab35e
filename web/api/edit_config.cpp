#include "edit_config.hpp"

#include <toml++/toml.h>

#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <stdexcept>

namespace morsim::web {
namespace {

std::string number_text(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.10g", x);
  return buf;
}

double parse_number(const std::string& text, const std::string& edit) {
  char* end = nullptr;
  const double x = std::strtod(text.c_str(), &end);
  if (text.empty() || *end != '\0') throw std::invalid_argument(edit + ": not a number");
  return x;
}

// A time as the config writes it ("24 h", "3 d"), in hours; the loader checks the units
// properly, this only needs the offset between records of one formulation.
double hours_of(const toml::node* node, const std::string& edit) {
  if (!node) return 0.0;  // the config's default first dose time
  if (auto x = node->value<double>()) return *x;
  const std::string s = node->value<std::string>().value_or("");
  std::istringstream in(s);
  double x = 0;
  std::string unit;
  in >> x >> unit;
  if (!in && !in.eof()) throw std::invalid_argument(edit + ": cannot read time '" + s + "'");
  if (unit == "h" || unit.empty()) return x;
  if (unit == "d") return 24 * x;
  if (unit == "min") return x / 60;
  if (unit == "s") return x / 3600;
  if (unit == "w") return 168 * x;
  throw std::invalid_argument(edit + ": cannot read time '" + s + "'");
}

// Every [[arm.dose]] table of the formulation, in config order.
std::vector<toml::table*> doses_of(toml::table& root, const std::string& formulation) {
  std::vector<toml::table*> out;
  if (toml::array* arms = root["arm"].as_array())
    for (toml::node& arm : *arms)
      if (toml::table* a = arm.as_table())
        if (toml::array* doses = (*a)["dose"].as_array())
          for (toml::node& d : *doses)
            if (toml::table* t = d.as_table())
              if ((*t)["formulation"].value<std::string>() == formulation) out.push_back(t);
  return out;
}

void apply(toml::table& root, const std::string& edit) {
  const auto eq = edit.find('=');
  if (eq == std::string::npos) throw std::invalid_argument(edit + ": no '='");
  const std::string head = edit.substr(0, eq), value = edit.substr(eq + 1);
  const auto colon = head.find(':');
  const std::string what = head.substr(0, colon);
  const std::string target = colon == std::string::npos ? "" : head.substr(colon + 1);

  if (what == "mode") {
    if (!root["receptor"].is_table()) root.insert("receptor", toml::table{});
    root["receptor"].as_table()->insert_or_assign("mode", value);
    return;
  }
  if (what == "set") {
    if (target.empty()) throw std::invalid_argument(edit + ": no parameter path");
    if (!root["overrides"].is_table()) root.insert("overrides", toml::table{});
    toml::table& o = *root["overrides"].as_table();
    char* end = nullptr;
    const double x = std::strtod(value.c_str(), &end);
    if (!value.empty() && *end == '\0')
      o.insert_or_assign(target, x);
    else
      o.insert_or_assign(target, value);
    return;
  }
  std::vector<toml::table*> doses = doses_of(root, target);
  if (doses.empty()) throw std::invalid_argument(edit + ": no dose of '" + target + "'");
  if (what == "amount") {
    const std::string amount = number_text(parse_number(value, edit)) + " mg";
    for (toml::table* d : doses) d->insert_or_assign("amount", amount);
  } else if (what == "time") {
    const double shift_h = parse_number(value, edit) - hours_of(doses.front()->get("time"), edit);
    for (toml::table* d : doses)
      d->insert_or_assign("time", number_text(hours_of(d->get("time"), edit) + shift_h) + " h");
  } else if (what == "missed") {
    toml::array missed;
    std::istringstream in(value);
    for (std::string item; std::getline(in, item, ',');)
      if (!item.empty()) missed.push_back(static_cast<int64_t>(parse_number(item, edit)));
    for (toml::table* d : doses)
      if (d->get("addl")) d->insert_or_assign("missed", missed);
  } else {
    throw std::invalid_argument(edit + ": unknown change '" + what +
                                "' (allowed: amount, time, missed, mode, set)");
  }
}

}  // namespace

std::string edit_config(const std::string& toml_text, const std::vector<std::string>& edits) {
  if (edits.empty()) return toml_text;  // unchanged: keep its comments
  toml::table root = toml::parse(toml_text);
  for (const std::string& e : edits) apply(root, e);
  std::ostringstream out;
  out << toml::toml_formatter(
      root, toml::toml_formatter::default_flags | toml::format_flags::allow_multi_line_strings);
  return out.str() + "\n";
}

}  // namespace morsim::web
