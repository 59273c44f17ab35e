// Private to config/: reading TOML nodes into checked values, with file:line:key errors.
#pragma once

#include <toml++/toml.h>

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "model/errors.hpp"
#include "model/scenario.hpp"
#include "units/units.hpp"

namespace morsim::config {

struct Where {
  std::string file;
  int line = 0;
};

// A value placed by an override: where it was written, for errors and `morsim show`.
struct OverrideOrigin {
  Where where;
  std::string text;  // the override as written: "naltrexone.ke0=1.5 /h"
};

enum class Range { kAny, kPositive, kNonNegative, kUnitInterval };

// State shared while one scenario is read.
struct Context {
  std::map<const toml::node*, OverrideOrigin> overridden;  // value nodes set by overrides
  std::vector<ParameterSource> sources;
};

Where where(const Context& ctx, const toml::node& n);
[[noreturn]] void fail(const Context& ctx, const toml::node& n, const std::string& key,
                       const std::string& problem);

// Parses a config file's text (shape-checked first, config/toml_shape.hpp); a syntax error
// throws ConfigError(display, line, "(syntax)", "not valid TOML: ... (column c)").
toml::table parse_config_toml(const std::string& text, const std::string& display);

// Closest candidate within a small edit distance, or "" when none is close.
std::string closest(std::string_view word, const std::vector<std::string>& candidates);
// " (did you mean 'x'?)" or "".
std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates);
std::string join(const std::vector<std::string>& items, const char* sep = ", ");

// Fails on the first key of `t` not in `allowed`, suggesting the closest allowed key.
void check_keys(const Context& ctx, const toml::table& t, const std::string& path,
                const std::vector<std::string>& allowed);

// The table at `key` (absent = nullptr); fails when present but not a table.
const toml::table* table_at(const Context& ctx, const toml::table& t, std::string_view key,
                            const std::string& path);
const toml::array* array_at(const Context& ctx, const toml::table& t, std::string_view key,
                            const std::string& path);
// The node at `key`; fails "missing" (at the table's line) when absent.
const toml::node& require(const Context& ctx, const toml::table& t, std::string_view key,
                          const std::string& path, const std::string& allowed);

std::string read_string(const Context& ctx, const toml::node& n, const std::string& key);
long read_int(const Context& ctx, const toml::node& n, const std::string& key, long min);
bool read_bool(const Context& ctx, const toml::node& n, const std::string& key);
const toml::table& as_table(const Context& ctx, const toml::node& n, const std::string& key);

// A quantity written as "9 L", a number (dimensionless only), or { value = ..., source = ... }.
// `param` is the parameter's name in `morsim show` and overrides ("naltrexone.ke0"); when not
// empty the value and its source are recorded in ctx.sources.
double read_quantity(Context& ctx, const toml::node& n, const std::string& key,
                     const std::string& param, const ExpectedDimension& expected,
                     Range range = Range::kAny);

// A switch written as true / false or { value = true, source = "..." }; recorded in
// ctx.sources under `param` like a quantity.
bool read_flag(Context& ctx, const toml::node& n, const std::string& key, const std::string& param);

// The value node of a quantity ("value" of a {value, source} table, else the node itself).
const toml::node& value_node(const toml::node& n);

}  // namespace morsim::config
