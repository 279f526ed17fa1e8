#pragma once
// The input of a command bound to a route: the JSON body (when the route takes one) with the
// route's path parameters added under their field names, so one strict reading of the whole
// object checks both. Generated endpoints call it, then the command's from_json.
//
//   POST /calls/{callId}/cancel  {"reason": "late"}   ->  {"reason": "late", "callId": 7}
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include <boost/json/object.hpp>

#include "eskit/runtime/http/request.hpp"

namespace eskit::runtime::http {

struct PathParameter {
  std::string_view name;
  // The field is a number: the segment must be a decimal integer (400 "invalid-field" if not).
  bool integer = false;
};

// Throws Problem 400 when the body is not a JSON object or a numeric parameter is no integer
// (and, through Request::json(), 415 or 400 for a body that is not JSON).
[[nodiscard]] boost::json::object command_input(const Request& request, bool has_body,
                                                std::span<const PathParameter> parameters);

// A filter of a read-model query, from the query string (`GET /loans?memberId=7`): nullopt when
// absent; an integer filter that is no integer is Problem 400 naming it.
[[nodiscard]] std::optional<std::string> text_filter(const Request& request, std::string_view name);
[[nodiscard]] std::optional<std::int64_t> integer_filter(const Request& request,
                                                         std::string_view name);

// `text` as one path segment of a URL: everything but RFC 3986's unreserved characters is
// percent-encoded, so a value never adds a segment or a query (a sync call's `/members/{id}`).
[[nodiscard]] std::string path_segment(std::string_view text);

}  // namespace eskit::runtime::http
