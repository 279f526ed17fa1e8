#pragma once
// The pending column: step indices as "3,1,0" (order matters for reverse compensation).
#include <charconv>
#include <string>
#include <string_view>
#include <vector>

namespace eskit::runtime::saga::detail {

inline std::vector<int> parse_pending(std::string_view text) {
  std::vector<int> steps;
  while (!text.empty()) {
    const auto comma = text.find(',');
    const auto item = text.substr(0, comma);
    int step = 0;
    if (std::from_chars(item.data(), item.data() + item.size(), step).ec == std::errc())
      steps.push_back(step);
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return steps;
}

inline std::string format_pending(const std::vector<int>& steps) {
  std::string text;
  for (const int step : steps) text += (text.empty() ? "" : ",") + std::to_string(step);
  return text;
}

}  // namespace eskit::runtime::saga::detail
