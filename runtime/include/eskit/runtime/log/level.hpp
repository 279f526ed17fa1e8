// Log levels, in increasing severity.
#pragma once

#include <optional>
#include <string_view>

namespace eskit::runtime::log {

enum class Level { trace, debug, info, warn, error };

/// "trace", "debug", "info", "warn", "error": the `level` of a JSON line.
std::string_view to_string(Level level);

/// The inverse of to_string, case-insensitive, also taking "warning"; for a `log.level`
/// setting. Empty for anything else.
std::optional<Level> parse_level(std::string_view text);

}  // namespace eskit::runtime::log
