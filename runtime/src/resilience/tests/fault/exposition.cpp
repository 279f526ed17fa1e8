#include "exposition.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace eskit::runtime::resilience::fault {
namespace {

[[noreturn]] void malformed(std::string_view line) {
  throw std::runtime_error("not a Prometheus sample line: " + std::string(line));
}

double parse_value(std::string_view text, std::string_view line) {
  if (text == "+Inf") return std::numeric_limits<double>::infinity();
  if (text == "-Inf") return -std::numeric_limits<double>::infinity();
  if (text == "NaN") return std::numeric_limits<double>::quiet_NaN();
  std::size_t used = 0;
  double value = 0;
  try {
    value = std::stod(std::string(text), &used);
  } catch (const std::exception&) {
    malformed(line);
  }
  if (used != text.size()) malformed(line);
  return value;
}

Sample parse_line(std::string_view line) {
  Sample sample;
  std::size_t i = 0;
  while (i < line.size() && line[i] != '{' && line[i] != ' ') ++i;
  sample.name = std::string(line.substr(0, i));
  if (i < line.size() && line[i] == '{') {
    ++i;
    while (i < line.size() && line[i] != '}') {
      auto equals = line.find('=', i);
      if (equals == std::string_view::npos || equals + 1 >= line.size() || line[equals + 1] != '"')
        malformed(line);
      std::string key(line.substr(i, equals - i));
      std::string value;
      std::size_t j = equals + 2;
      for (; j < line.size() && line[j] != '"'; ++j) {
        if (line[j] == '\\' && j + 1 < line.size()) {
          ++j;
          value += line[j] == 'n' ? '\n' : line[j];
        } else {
          value += line[j];
        }
      }
      if (j >= line.size()) malformed(line);
      sample.labels.emplace(std::move(key), std::move(value));
      i = j + 1;
      if (i < line.size() && line[i] == ',') ++i;
    }
    if (i >= line.size()) malformed(line);
    ++i;  // the closing brace
  }
  if (i >= line.size() || line[i] != ' ') malformed(line);
  sample.value = parse_value(line.substr(i + 1), line);
  return sample;
}

bool includes(const std::map<std::string, std::string>& labels,
              const std::map<std::string, std::string>& wanted) {
  return std::all_of(wanted.begin(), wanted.end(), [&](const auto& entry) {
    auto found = labels.find(entry.first);
    return found != labels.end() && found->second == entry.second;
  });
}

}  // namespace

Exposition::Exposition(std::string_view text) {
  while (!text.empty()) {
    auto end = text.find('\n');
    auto line = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
    if (line.empty() || line.front() == '#') continue;
    samples_.push_back(parse_line(line));
  }
}

double Exposition::sum(std::string_view name,
                       const std::map<std::string, std::string>& labels) const {
  double total = 0;
  for (const auto& sample : samples_)
    if (sample.name == name && includes(sample.labels, labels)) total += sample.value;
  return total;
}

std::optional<double> Exposition::quantile_bound(
    std::string_view name, double quantile,
    const std::vector<std::map<std::string, std::string>>& series) const {
  // Cumulative counts per bound, added over the series.
  std::map<double, double> cumulative;
  const auto bucket = std::string(name) + "_bucket";
  for (const auto& sample : samples_) {
    if (sample.name != bucket) continue;
    if (std::none_of(series.begin(), series.end(),
                     [&](const auto& wanted) { return includes(sample.labels, wanted); }))
      continue;
    auto le = sample.labels.find("le");
    if (le == sample.labels.end()) continue;
    cumulative[parse_value(le->second, le->second)] += sample.value;
  }
  if (cumulative.empty()) return std::nullopt;
  double total = cumulative.rbegin()->second;  // the +Inf bucket
  if (total <= 0) return std::nullopt;
  for (const auto& [bound, count] : cumulative)
    if (count >= quantile * total) return bound;
  return std::numeric_limits<double>::infinity();
}

}  // namespace eskit::runtime::resilience::fault
