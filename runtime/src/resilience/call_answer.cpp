#include "eskit/runtime/resilience/call_answer.hpp"

#include <boost/json/parse.hpp>
#include <string>

#include "eskit/runtime/http/problem.hpp"

namespace eskit::runtime::resilience {

namespace {

// The `detail` of a problem+json answer, else its body as text (cut short), else its status.
std::string reason_of(const http::ClientResponse& response) {
  boost::system::error_code error;
  const auto json = boost::json::parse(response.body, error);
  if (!error && json.is_object()) {
    if (const auto* detail = json.as_object().if_contains("detail"); detail && detail->is_string())
      return std::string(detail->as_string());
  }
  if (!response.body.empty()) return response.body.substr(0, 300);
  return "status " + std::to_string(response.status);
}

}  // namespace

const http::ClientResponse& accepted(const ResilientResult& result, std::string_view callee) {
  if (!result.result.ok()) {
    http::Problem problem(
        503, "try-later",
        std::string(callee) + " did not answer: " + result.result.error().message);
    problem.header("Retry-After", "1");
    throw problem;
  }
  const http::ClientResponse& response = result.result.response();
  if (response.status >= 200 && response.status < 300) return response;
  if (response.status >= 400 && response.status < 500) {
    throw http::Problem(409, "refused-by-" + std::string(callee), reason_of(response));
  }
  http::Problem problem(503, "try-later", reason_of(response));
  problem.header("Retry-After", std::string(response.headers.get("Retry-After").value_or("1")));
  throw problem;
}

}  // namespace eskit::runtime::resilience
