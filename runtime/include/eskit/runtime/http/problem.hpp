#pragma once
// An RFC 9457 problem: what a handler throws to answer with an error status. The server turns
// it into an application/problem+json body, so every service reports errors the same way:
//   throw http::Problem{409, "conflict", "call 42 is already ACCEPTED"};
#include <boost/json/fwd.hpp>

#include <exception>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "eskit/runtime/http/headers.hpp"

namespace eskit::runtime::http {

class Problem : public std::exception {
 public:
  // `code` is a short, stable slug ("conflict", "malformed-json"); it becomes the problem's
  // type URI "urn:eskit:problem:<code>" that clients can switch on.
  Problem(int status, std::string code, std::string detail = {});

  // 400 for a failed field check, listing the field in an "errors" member.
  static Problem invalid_field(std::string_view field, std::string_view message);

  [[nodiscard]] int status() const noexcept { return status_; }
  [[nodiscard]] const std::string& code() const noexcept { return code_; }
  [[nodiscard]] const std::string& detail() const noexcept { return detail_; }
  [[nodiscard]] std::string type() const;
  [[nodiscard]] std::string_view title() const noexcept;  // the status's reason phrase
  [[nodiscard]] const char* what() const noexcept override { return detail_.c_str(); }

  // Extension members (RFC 9457 §3.2), e.g. with("callId", 42).
  Problem& with(std::string key, const boost::json::value& value);
  // Headers the response must carry, e.g. Allow on 405 or Retry-After on 503.
  Problem& header(std::string name, std::string value);
  [[nodiscard]] const Headers& headers() const noexcept { return headers_; }

  // The problem+json document; `instance` is the request path it occurred on, if known.
  [[nodiscard]] std::string to_json(std::string_view instance = {}) const;

 private:
  int status_;
  std::string code_;
  std::string detail_;
  std::vector<std::pair<std::string, std::string>> extensions_;  // key, serialized JSON
  Headers headers_;
};

// The reason phrase of a status code ("Not Found"), or "Unknown" for unregistered codes.
[[nodiscard]] std::string_view reason_phrase(int status) noexcept;

}  // namespace eskit::runtime::http
