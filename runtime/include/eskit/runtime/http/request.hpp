#pragma once
// An incoming request as a handler sees it: method, target, path parameters from the route
// template, query parameters, headers, body, and the body as JSON parsed on first use.
#include <boost/json/fwd.hpp>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "eskit/runtime/http/headers.hpp"

namespace eskit::runtime::http {

using Params = std::vector<std::pair<std::string, std::string>>;

class Request {
 public:
  // Parses `target` (origin form, "/calls/7?verbose=1"); throws Problem 400 when it is not one.
  Request(std::string method, std::string target, Headers headers = {}, std::string body = {});
  ~Request();
  Request(Request&&) noexcept;
  Request& operator=(Request&&) noexcept;

  [[nodiscard]] const std::string& method() const noexcept { return method_; }
  [[nodiscard]] const std::string& target() const noexcept { return target_; }
  // The percent-decoded path segments ("/calls/7" → {"calls", "7"}).
  [[nodiscard]] const std::vector<std::string>& segments() const noexcept { return segments_; }
  [[nodiscard]] const Headers& headers() const noexcept { return headers_; }
  [[nodiscard]] const std::string& body() const noexcept { return body_; }

  // The route template that matched ("/calls/{callId}"), empty before routing.
  [[nodiscard]] const std::string& route() const noexcept { return route_; }
  // A path parameter of the route; throws std::out_of_range for a name the route lacks.
  [[nodiscard]] const std::string& param(std::string_view name) const;
  [[nodiscard]] const Params& params() const noexcept { return params_; }
  // The first query parameter of that name, percent-decoded.
  [[nodiscard]] std::optional<std::string_view> query(std::string_view name) const;
  [[nodiscard]] const Params& query_params() const noexcept { return query_; }

  // The body as JSON, parsed once. Throws Problem 415 unless Content-Type is
  // application/json (or +json), Problem 400 "malformed-json" when it does not parse.
  [[nodiscard]] const boost::json::value& json() const;
  // True when Content-Type is application/json or a +json type.
  [[nodiscard]] bool has_json_content_type() const;

  // The caller's absolute deadline, from X-Request-Deadline (epoch milliseconds), so a
  // handler can give its own outgoing calls no more than the time its caller has left.
  [[nodiscard]] std::optional<std::chrono::system_clock::time_point> deadline() const;

  // Set by the router when a route matches.
  void set_route(std::string route, Params params);

  // The peer's IP address as the server's socket saw it ("127.0.0.1"), for a proxy's
  // X-Forwarded-For; empty for a request that did not come from a socket.
  [[nodiscard]] const std::string& remote_address() const noexcept { return remote_address_; }
  void set_remote_address(std::string address) { remote_address_ = std::move(address); }

 private:
  std::string method_;
  std::string target_;
  std::vector<std::string> segments_;
  Params query_;
  Headers headers_;
  std::string body_;
  std::string route_;
  Params params_;
  std::string remote_address_;
  mutable std::unique_ptr<boost::json::value> json_;
};

}  // namespace eskit::runtime::http
