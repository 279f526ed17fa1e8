#include "eskit/runtime/http/request.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>

#include <charconv>
#include <stdexcept>

#include "eskit/runtime/http/problem.hpp"

namespace eskit::runtime::http {

Request::Request(std::string method, std::string target, Headers headers, std::string body)
    : method_(std::move(method)),
      target_(std::move(target)),
      headers_(std::move(headers)),
      body_(std::move(body)) {
  auto parsed = boost::urls::parse_origin_form(target_);
  if (!parsed) throw Problem{400, "malformed-target", "the request target is not a valid path"};
  for (auto segment : parsed->segments()) segments_.emplace_back(segment);
  for (auto param : parsed->params()) query_.emplace_back(param.key, param.value);
}

Request::~Request() = default;
Request::Request(Request&&) noexcept = default;
Request& Request::operator=(Request&&) noexcept = default;

const std::string& Request::param(std::string_view name) const {
  for (const auto& [n, v] : params_)
    if (n == name) return v;
  throw std::out_of_range("route " + route_ + " has no parameter " + std::string(name));
}

std::optional<std::string_view> Request::query(std::string_view name) const {
  for (const auto& [n, v] : query_)
    if (n == name) return std::string_view{v};
  return std::nullopt;
}

bool Request::has_json_content_type() const {
  auto type = headers_.get("Content-Type");
  if (!type) return false;
  // Media type without parameters ("application/json; charset=utf-8"), trimmed.
  std::string_view media = type->substr(0, type->find(';'));
  while (!media.empty() && (media.back() == ' ' || media.back() == '\t')) media.remove_suffix(1);
  while (!media.empty() && (media.front() == ' ' || media.front() == '\t')) media.remove_prefix(1);
  if (iequals(media, "application/json")) return true;
  constexpr std::string_view suffix = "+json";  // application/problem+json, merge-patch+json
  return media.size() > suffix.size() && media.starts_with("application/") &&
         iequals(media.substr(media.size() - suffix.size()), suffix);
}

const boost::json::value& Request::json() const {
  if (json_) return *json_;
  if (!has_json_content_type())
    throw Problem{415, "unsupported-media-type", "the body must be application/json"};
  boost::system::error_code ec;
  auto value = boost::json::parse(body_, ec);
  if (ec) throw Problem{400, "malformed-json", "the body is not valid JSON: " + ec.message()};
  json_ = std::make_unique<boost::json::value>(std::move(value));
  return *json_;
}

std::optional<std::chrono::system_clock::time_point> Request::deadline() const {
  auto header = headers_.get("X-Request-Deadline");
  if (!header) return std::nullopt;
  long long ms = 0;
  auto [end, ec] = std::from_chars(header->data(), header->data() + header->size(), ms);
  if (ec != std::errc{} || end != header->data() + header->size() || ms <= 0) return std::nullopt;
  return std::chrono::system_clock::time_point{std::chrono::milliseconds{ms}};
}

void Request::set_route(std::string route, Params params) {
  route_ = std::move(route);
  params_ = std::move(params);
}

}  // namespace eskit::runtime::http
