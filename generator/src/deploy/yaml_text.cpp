#include "yaml_text.hpp"

#include <cstdio>

namespace eskit::deploy {

namespace {

bool plain_is_safe(std::string_view s) {
  if (s.empty()) return false;
  // Anything YAML 1.1 or 1.2 might read as a bool, null or number is quoted; kubectl and
  // compose differ in which YAML they use.
  const char first = s.front();
  if ((first >= '0' && first <= '9') || first == '-' || first == '+' || first == '.') return false;
  for (char c : s) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_' || c == '.' || c == '/';
    if (!ok) return false;
  }
  static constexpr std::string_view words[] = {
      "true",  "false", "yes", "no", "on",  "off", "null", "y",    "n",
      "True",  "False", "Yes", "No", "On",  "Off", "Null", "NULL", "TRUE",
      "FALSE", "YES",   "NO",  "ON", "OFF", "Y",   "N"};
  for (auto w : words)
    if (s == w) return false;
  return true;
}

}  // namespace

std::string yaml_string(std::string_view text) {
  if (plain_is_safe(text)) return std::string(text);
  std::string out = "\"";
  for (unsigned char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\x%02x", c);
          out += buf;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  out += '"';
  return out;
}

}  // namespace eskit::deploy
