#include "forwarded_headers.hpp"

#include <algorithm>
#include <string>
#include <vector>

namespace eskit::runtime::gateway {

namespace {

// RFC 9110 §7.6.1 and the fields proxies have always treated as hop-by-hop.
constexpr std::string_view hop_by_hop[] = {"Connection",
                                           "Keep-Alive",
                                           "Proxy-Connection",
                                           "Proxy-Authenticate",
                                           "Proxy-Authorization",
                                           "TE",
                                           "Trailer",
                                           "Transfer-Encoding",
                                           "Upgrade"};

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// The fixed hop-by-hop names and those every Connection field lists ("Connection: X-Trace").
std::vector<std::string> hop_fields(const http::Headers& headers) {
  std::vector<std::string> names(std::begin(hop_by_hop), std::end(hop_by_hop));
  for (const auto& [name, value] : headers) {
    if (!http::iequals(name, "Connection")) continue;
    std::string_view rest = value;
    while (!rest.empty()) {
      const auto comma = rest.find(',');
      const auto token = trim(rest.substr(0, comma));
      if (!token.empty()) names.emplace_back(token);
      if (comma == std::string_view::npos) break;
      rest.remove_prefix(comma + 1);
    }
  }
  return names;
}

http::Headers without(const http::Headers& headers, const std::vector<std::string>& names) {
  http::Headers out;
  for (const auto& [name, value] : headers) {
    const std::string& field = name;  // clang before 16 cannot capture a structured binding
    const bool dropped = std::any_of(names.begin(), names.end(), [&](const std::string& hop) {
      return http::iequals(hop, field);
    });
    if (!dropped) out.add(name, value);
  }
  return out;
}

}  // namespace

http::Headers upstream_request_headers(const http::Request& request,
                                       std::string_view correlation_id) {
  auto names = hop_fields(request.headers());
  for (std::string_view own :
       {"Host", "Content-Length", "X-Request-Deadline", "X-Correlation-Id", "X-Forwarded-For"})
    names.emplace_back(own);
  http::Headers headers = without(request.headers(), names);

  // Every proxy on the way appends the address it received the request from.
  std::string forwarded_for;
  for (const auto& [name, value] : request.headers())
    if (http::iequals(name, "X-Forwarded-For")) {
      if (!forwarded_for.empty()) forwarded_for += ", ";
      forwarded_for += value;
    }
  if (!request.remote_address().empty()) {
    if (!forwarded_for.empty()) forwarded_for += ", ";
    forwarded_for += request.remote_address();
  }
  if (!forwarded_for.empty()) headers.set("X-Forwarded-For", std::move(forwarded_for));
  if (!headers.contains("X-Forwarded-Proto")) headers.set("X-Forwarded-Proto", "http");
  if (!headers.contains("X-Forwarded-Host"))
    if (const auto host = request.headers().get("Host"))
      headers.set("X-Forwarded-Host", std::string(*host));
  headers.set(std::string(http::correlation_header), std::string(correlation_id));
  return headers;
}

http::Headers client_response_headers(const http::Headers& upstream) {
  auto names = hop_fields(upstream);
  names.emplace_back("Content-Length");
  return without(upstream, names);
}

}  // namespace eskit::runtime::gateway
