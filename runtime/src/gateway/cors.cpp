#include "eskit/runtime/gateway/cors.hpp"

#include <algorithm>

#include "eskit/runtime/http/headers.hpp"
#include "eskit/runtime/http/problem.hpp"

namespace eskit::runtime::gateway {

namespace {

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out += ", ";
    out += item;
  }
  return out;
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

bool contains(const std::vector<std::string>& items, std::string_view item, bool fold_case) {
  return std::any_of(items.begin(), items.end(), [&](const std::string& candidate) {
    return fold_case ? http::iequals(candidate, item) : candidate == item;
  });
}

void remove_cors_headers(http::Headers& headers) {
  for (std::string_view name : {"Access-Control-Allow-Origin", "Access-Control-Allow-Credentials",
                                "Access-Control-Expose-Headers", "Access-Control-Allow-Methods",
                                "Access-Control-Allow-Headers", "Access-Control-Max-Age"})
    headers.remove(name);
}

void add_vary_origin(http::Headers& headers) {
  const auto vary = headers.get("Vary");
  if (!vary) {
    headers.set("Vary", "Origin");
    return;
  }
  std::string_view rest = *vary;
  while (!rest.empty()) {
    const auto comma = rest.find(',');
    const auto token = trim(rest.substr(0, comma));
    if (token == "*" || http::iequals(token, "Origin")) return;
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  headers.set("Vary", std::string(*vary) + ", Origin");
}

// The value of Access-Control-Allow-Origin for an allowed origin.
std::string allow_origin_value(const CorsPolicy& policy, std::string_view origin) {
  const bool any = contains(policy.allowed_origins, "*", false);
  if (any && !policy.allow_credentials) return "*";
  return std::string(origin);
}

http::Response refuse(std::string detail, std::string_view path) {
  return http::Response::problem(http::Problem{403, "cors-rejected", std::move(detail)}, path);
}

}  // namespace

bool CorsPolicy::allows_origin(std::string_view origin) const {
  if (origin.empty() || origin == "null") return false;  // opaque origins are never trusted
  return contains(allowed_origins, "*", false) || contains(allowed_origins, origin, false);
}

bool is_preflight(const http::Request& request) {
  return request.method() == "OPTIONS" && request.headers().contains("Origin") &&
         request.headers().contains("Access-Control-Request-Method");
}

http::Response answer_preflight(const CorsPolicy& policy, const http::Request& request) {
  const std::string path = request.target().substr(0, request.target().find('?'));
  const auto origin = request.headers().get("Origin").value_or("");
  if (!policy.enabled() || !policy.allows_origin(origin))
    return refuse("origin '" + std::string(origin) + "' is not allowed", path);
  const auto method = trim(request.headers().get("Access-Control-Request-Method").value_or(""));
  if (!contains(policy.allowed_methods, method, false))
    return refuse("method '" + std::string(method) +
                      "' is not allowed; allowed: " + join(policy.allowed_methods),
                  path);
  std::string requested_headers;
  if (const auto requested = request.headers().get("Access-Control-Request-Headers")) {
    const bool any_header = contains(policy.allowed_headers, "*", false);
    std::string_view rest = *requested;
    while (!rest.empty()) {
      const auto comma = rest.find(',');
      const auto name = trim(rest.substr(0, comma));
      if (!name.empty() && !any_header && !contains(policy.allowed_headers, name, true))
        return refuse("header '" + std::string(name) +
                          "' is not allowed; allowed: " + join(policy.allowed_headers),
                      path);
      if (comma == std::string_view::npos) break;
      rest.remove_prefix(comma + 1);
    }
    requested_headers = std::string(trim(*requested));
  }
  http::Response response = http::Response::no_content();
  response.headers.set("Access-Control-Allow-Origin", allow_origin_value(policy, origin));
  response.headers.set("Access-Control-Allow-Methods", join(policy.allowed_methods));
  // "*" is echoed as the requested list: a wildcard is not honoured with credentials.
  const bool any_header = contains(policy.allowed_headers, "*", false);
  const std::string allowed_headers = any_header ? requested_headers : join(policy.allowed_headers);
  if (!allowed_headers.empty())
    response.headers.set("Access-Control-Allow-Headers", allowed_headers);
  response.headers.set("Access-Control-Max-Age", std::to_string(policy.max_age.count()));
  if (policy.allow_credentials) response.headers.set("Access-Control-Allow-Credentials", "true");
  add_vary_origin(response.headers);
  return response;
}

void apply_cors(const CorsPolicy& policy, std::optional<std::string_view> origin,
                http::Response& response) {
  if (!policy.enabled()) return;
  remove_cors_headers(response.headers);
  add_vary_origin(response.headers);
  if (!origin || !policy.allows_origin(*origin)) return;
  response.headers.set("Access-Control-Allow-Origin", allow_origin_value(policy, *origin));
  if (!policy.exposed_headers.empty())
    response.headers.set("Access-Control-Expose-Headers", join(policy.exposed_headers));
  if (policy.allow_credentials) response.headers.set("Access-Control-Allow-Credentials", "true");
}

}  // namespace eskit::runtime::gateway
