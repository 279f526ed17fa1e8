// Reading a setting's value from text: an environment variable, a mounted file or a YAML
// scalar all arrive as text, so all three go through the same rules.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "eskit/runtime/config/setting.hpp"

namespace eskit::runtime::config {

struct ParsedValue {
  std::optional<Value> value;
  /// Why the text is not a value, beyond "expected ...": e.g. "out of range". May be empty.
  std::string detail;
};

/// Numbers, booleans and durations ignore surrounding whitespace; strings keep it. Booleans
/// are true/false, yes/no, on/off or 1/0 in any case. Durations are whole numbers with units
/// ms, s, m, h, combinable ("1m30s"), or a bare 0. Lists are comma-separated, items trimmed,
/// empty items dropped.
ParsedValue parse_value(Type type, std::string_view text);

/// A list given item by item (a YAML sequence); only the type of the list is checked.
std::vector<std::string> trimmed_items(std::string_view comma_separated);

std::string_view trim(std::string_view text);

}  // namespace eskit::runtime::config
