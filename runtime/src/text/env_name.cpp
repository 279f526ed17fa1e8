#include "eskit/runtime/text/env_name.hpp"

namespace eskit::runtime::text {

namespace {

bool is_lower(char c) { return c >= 'a' && c <= 'z'; }
bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

std::string env_var_name(std::string_view prefix, std::string_view setting) {
  std::string out(prefix);
  if (!out.empty()) out += '_';
  char previous = '.';
  for (char c : setting) {
    if (c == '.' || c == '-') {
      out += '_';
    } else if (is_upper(c)) {
      if (is_lower(previous) || is_digit(previous)) out += '_';
      out += c;
    } else {
      out += static_cast<char>(is_lower(c) ? c - 32 : c);
    }
    previous = c;
  }
  return out;
}

}  // namespace eskit::runtime::text
