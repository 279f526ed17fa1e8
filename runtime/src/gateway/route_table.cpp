#include "eskit/runtime/gateway/route_table.hpp"

#include <stdexcept>

namespace eskit::runtime::gateway {

std::vector<std::string> path_segments(std::string_view path) {
  std::vector<std::string> segments;
  if (path.empty() || path.front() != '/') return segments;
  std::string_view rest = path.substr(1);
  while (!rest.empty()) {
    const auto slash = rest.find('/');
    segments.emplace_back(rest.substr(0, slash));
    if (slash == std::string_view::npos) break;
    rest.remove_prefix(slash + 1);
    if (rest.empty()) segments.emplace_back();  // trailing slash: an empty last segment
  }
  return segments;
}

bool covers(const std::vector<std::string>& prefix, const std::vector<std::string>& segments) {
  if (prefix.size() > segments.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i)
    if (prefix[i] != segments[i]) return false;
  return true;
}

void RouteTable::add(GatewayRoute route) {
  const std::string& prefix = route.prefix;
  if (prefix.empty() || prefix.front() != '/')
    throw std::invalid_argument("route prefix '" + prefix + "' must start with '/'");
  if (prefix.find_first_of("?#%") != std::string::npos)
    throw std::invalid_argument("route prefix '" + prefix +
                                "' must be a plain path: no query, fragment or escapes");
  if (route.upstream.empty())
    throw std::invalid_argument("route prefix '" + prefix + "' names no upstream");
  // "/reviews/" means "/reviews": a prefix matches whole segments either way.
  std::string_view trimmed = prefix;
  while (trimmed.size() > 1 && trimmed.back() == '/') trimmed.remove_suffix(1);
  auto pattern = path_segments(trimmed);
  for (const auto& segment : pattern)
    if (segment.empty() || segment == "." || segment == "..")
      throw std::invalid_argument("route prefix '" + prefix +
                                  "' has an empty, '.' or '..' segment");
  for (std::size_t i = 0; i < patterns_.size(); ++i)
    if (patterns_[i] == pattern)
      throw std::invalid_argument("route prefix '" + prefix + "' is configured twice (for '" +
                                  routes_[i].upstream + "' and '" + route.upstream + "')");
  route.prefix = std::string(trimmed);
  routes_.push_back(std::move(route));
  patterns_.push_back(std::move(pattern));
}

std::optional<GatewayRoute> RouteTable::match(const std::vector<std::string>& segments) const {
  const GatewayRoute* best = nullptr;
  std::size_t best_length = 0;
  for (std::size_t i = 0; i < routes_.size(); ++i) {
    if (!covers(patterns_[i], segments)) continue;
    if (!best || patterns_[i].size() > best_length) {
      best = &routes_[i];
      best_length = patterns_[i].size();
    }
  }
  if (!best) return std::nullopt;
  return *best;
}

}  // namespace eskit::runtime::gateway
