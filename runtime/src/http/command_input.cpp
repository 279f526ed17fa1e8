#include "eskit/runtime/http/command_input.hpp"

#include <charconv>
#include <cstdint>

#include "eskit/runtime/http/problem.hpp"

namespace eskit::runtime::http {

boost::json::object command_input(const Request& request, bool has_body,
                                  std::span<const PathParameter> parameters) {
  boost::json::object input;
  if (has_body) {
    const boost::json::value& body = request.json();
    if (!body.is_object()) throw Problem::invalid_field("", "the body must be a JSON object");
    input = body.as_object();
  }
  for (const PathParameter& parameter : parameters) {
    const std::string& text = request.param(parameter.name);
    if (!parameter.integer) {
      input[parameter.name] = text;
      continue;
    }
    std::int64_t number = 0;
    const char* end = text.data() + text.size();
    const auto [stop, error] = std::from_chars(text.data(), end, number);
    if (error != std::errc{} || stop != end || text.empty())
      throw Problem::invalid_field(parameter.name, "'" + text + "' is not an integer");
    input[parameter.name] = number;
  }
  return input;
}

}  // namespace eskit::runtime::http
