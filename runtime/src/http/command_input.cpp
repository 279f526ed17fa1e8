#include "eskit/runtime/http/command_input.hpp"

#include <charconv>
#include <cstdint>

#include "eskit/runtime/http/problem.hpp"

namespace eskit::runtime::http {

namespace {

std::optional<std::int64_t> integer_of(std::string_view text) {
  std::int64_t number = 0;
  const char* end = text.data() + text.size();
  const auto [stop, error] = std::from_chars(text.data(), end, number);
  if (error != std::errc{} || stop != end || text.empty()) return std::nullopt;
  return number;
}

}  // namespace

boost::json::object command_input(const Request& request, bool has_body,
                                  std::span<const PathParameter> parameters) {
  boost::json::object input;
  // `curl -X POST …/cancel` sends no body and no Content-Type: that is an empty input (a
  // missing required field is then a 400 naming it), not an unsupported media type.
  const bool empty = request.body().empty() && !request.headers().get("Content-Type");
  if (has_body && !empty) {
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
    const auto number = integer_of(text);
    if (!number) throw Problem::invalid_field(parameter.name, "'" + text + "' is not an integer");
    input[parameter.name] = *number;
  }
  return input;
}

std::optional<std::string> text_filter(const Request& request, std::string_view name) {
  const auto value = request.query(name);
  if (!value) return std::nullopt;
  return std::string(*value);
}

std::optional<std::int64_t> integer_filter(const Request& request, std::string_view name) {
  const auto value = request.query(name);
  if (!value) return std::nullopt;
  const auto number = integer_of(*value);
  if (!number)
    throw Problem::invalid_field(name, "'" + std::string(*value) + "' is not an integer");
  return number;
}

std::string path_segment(std::string_view text) {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out;
  for (const char ch : text) {
    const auto byte = static_cast<unsigned char>(ch);
    const bool unreserved = (byte >= 'a' && byte <= 'z') || (byte >= 'A' && byte <= 'Z') ||
                            (byte >= '0' && byte <= '9') || byte == '-' || byte == '.' ||
                            byte == '_' || byte == '~';
    if (unreserved) {
      out += ch;
    } else {
      out += '%';
      out += hex[byte >> 4];
      out += hex[byte & 0xf];
    }
  }
  return out;
}

}  // namespace eskit::runtime::http
