#include "config/value_text.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <limits>

namespace eskit::runtime::config {

namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](char c) { return static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c); });
  return out;
}

ParsedValue parse_integer(std::string_view text) {
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  std::int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec == std::errc::result_out_of_range) return {std::nullopt, "out of range"};
  if (ec != std::errc() || end != text.data() + text.size() || text.empty()) return {};
  return {Value(value), {}};
}

ParsedValue parse_number(std::string_view text) {
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  double value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec == std::errc::result_out_of_range) return {std::nullopt, "out of range"};
  // from_chars reads "inf" and "nan", which no setting means.
  if (ec != std::errc() || end != text.data() + text.size() || text.empty() ||
      !std::isfinite(value)) {
    return {};
  }
  return {Value(value), {}};
}

ParsedValue parse_boolean(std::string_view text) {
  std::string t = lower(text);
  if (t == "true" || t == "yes" || t == "on" || t == "1") return {Value(true), {}};
  if (t == "false" || t == "no" || t == "off" || t == "0") return {Value(false), {}};
  return {};
}

ParsedValue parse_duration(std::string_view text) {
  using std::chrono::milliseconds;
  if (text == "0") return {Value(milliseconds(0)), {}};
  if (text.empty()) return {};
  constexpr std::int64_t max = std::numeric_limits<std::int64_t>::max();
  std::int64_t total = 0;
  while (!text.empty()) {
    std::int64_t amount = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), amount);
    if (ec == std::errc::result_out_of_range) return {std::nullopt, "out of range"};
    if (ec != std::errc() || amount < 0) return {};
    text.remove_prefix(static_cast<std::size_t>(end - text.data()));
    std::int64_t unit = 0;
    // "ms" before "m": a minute is the only unit that is a prefix of another.
    if (text.starts_with("ms")) {
      unit = 1;
      text.remove_prefix(2);
    } else if (text.starts_with("s")) {
      unit = 1000;
      text.remove_prefix(1);
    } else if (text.starts_with("m")) {
      unit = 60'000;
      text.remove_prefix(1);
    } else if (text.starts_with("h")) {
      unit = 3'600'000;
      text.remove_prefix(1);
    } else {
      return {std::nullopt, text.empty() ? "a unit is missing" : std::string()};
    }
    if (amount > (max - total) / unit) return {std::nullopt, "out of range"};
    total += amount * unit;
  }
  return {Value(milliseconds(total)), {}};
}

}  // namespace

std::string_view trim(std::string_view text) {
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  return text;
}

std::vector<std::string> trimmed_items(std::string_view comma_separated) {
  std::vector<std::string> items;
  while (true) {
    std::size_t comma = comma_separated.find(',');
    std::string_view item = trim(comma_separated.substr(0, comma));
    if (!item.empty()) items.emplace_back(item);
    if (comma == std::string_view::npos) break;
    comma_separated.remove_prefix(comma + 1);
  }
  return items;
}

ParsedValue parse_value(Type type, std::string_view text) {
  switch (type) {
    case Type::string:
      return {Value(std::string(text)), {}};
    case Type::integer:
      return parse_integer(trim(text));
    case Type::boolean:
      return parse_boolean(trim(text));
    case Type::number:
      return parse_number(trim(text));
    case Type::duration:
      return parse_duration(trim(text));
    case Type::strings:
      return {Value(trimmed_items(text)), {}};
  }
  return {};
}

}  // namespace eskit::runtime::config
