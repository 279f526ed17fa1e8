#pragma once
// Which upstream serves a path: the longest configured prefix that matches on whole path
// segments, so "/reviews" takes "/reviews" and "/reviews/7" but never "/reviewsx".
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace eskit::runtime::gateway {

struct GatewayRoute {
  std::string prefix;    // "/reviews"; "/" takes every path no longer prefix takes
  std::string upstream;  // the upstream's name
};

// Splits a path into its segments as http::Request::segments() does, without decoding.
[[nodiscard]] std::vector<std::string> path_segments(std::string_view path);

// True when `prefix` covers `segments` on segment boundaries.
[[nodiscard]] bool covers(const std::vector<std::string>& prefix,
                          const std::vector<std::string>& segments);

class RouteTable {
 public:
  // Throws std::invalid_argument for a prefix that is not an absolute path, contains a query,
  // a fragment, "." or ".." segments or an empty segment, or is configured twice.
  void add(GatewayRoute route);

  // Matches the request's (percent-decoded) segments; nullopt when no prefix covers them.
  [[nodiscard]] std::optional<GatewayRoute> match(const std::vector<std::string>& segments) const;
  [[nodiscard]] const std::vector<GatewayRoute>& routes() const noexcept { return routes_; }

 private:
  std::vector<GatewayRoute> routes_;
  std::vector<std::vector<std::string>> patterns_;  // the prefixes' segments, same order
};

}  // namespace eskit::runtime::gateway
