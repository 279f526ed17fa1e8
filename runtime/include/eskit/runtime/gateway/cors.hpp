#pragma once
// CORS at the edge (the Fetch standard's CORS protocol): preflights are answered by the
// gateway and never reach a service, and only an allowed origin ever sees
// Access-Control-Allow-Origin, on proxied answers and on the gateway's own errors alike.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "eskit/runtime/http/request.hpp"
#include "eskit/runtime/http/response.hpp"

namespace eskit::runtime::gateway {

struct CorsPolicy {
  // Exact origins ("https://app.example"), or "*" for any; empty: CORS is off and no
  // response carries CORS headers.
  std::vector<std::string> allowed_origins{};
  std::vector<std::string> allowed_methods{"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"};
  // Request headers a page may send, compared case-insensitively; "*" allows any.
  std::vector<std::string> allowed_headers{"Authorization", "Content-Type", "X-Correlation-Id"};
  std::vector<std::string> exposed_headers{"X-Correlation-Id"};
  std::chrono::seconds max_age{600};  // how long a browser may cache a preflight's answer
  // Cookies and Authorization on cross-origin requests; never with a "*" origin, which the
  // Fetch standard forbids, so then the request's own origin is echoed instead.
  bool allow_credentials = false;

  [[nodiscard]] bool enabled() const noexcept { return !allowed_origins.empty(); }
  [[nodiscard]] bool allows_origin(std::string_view origin) const;
};

// True for a CORS preflight: OPTIONS with Origin and Access-Control-Request-Method.
[[nodiscard]] bool is_preflight(const http::Request& request);

// The answer to a preflight: 204 with the allowed methods, headers and max age when the
// origin, method and every requested header are allowed; 403 problem+json saying which is not.
[[nodiscard]] http::Response answer_preflight(const CorsPolicy& policy,
                                              const http::Request& request);

// Sets the CORS headers of an answer to `origin` (the request's Origin, if any): the
// upstream's own Access-Control-* headers are replaced by the policy's, and Vary: Origin is
// added so caches keep answers to different origins apart.
void apply_cors(const CorsPolicy& policy, std::optional<std::string_view> origin,
                http::Response& response);

}  // namespace eskit::runtime::gateway
