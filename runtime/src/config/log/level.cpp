#include "eskit/runtime/log/level.hpp"

#include <string>

namespace eskit::runtime::log {

std::string_view to_string(Level level) {
  switch (level) {
    case Level::trace:
      return "trace";
    case Level::debug:
      return "debug";
    case Level::info:
      return "info";
    case Level::warn:
      return "warn";
    case Level::error:
      return "error";
  }
  return "unknown";
}

std::optional<Level> parse_level(std::string_view text) {
  std::string t(text);
  for (char& c : t) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
  if (t == "warning") return Level::warn;
  for (Level l : {Level::trace, Level::debug, Level::info, Level::warn, Level::error}) {
    if (t == to_string(l)) return l;
  }
  return std::nullopt;
}

}  // namespace eskit::runtime::log
