#include "eskit/runtime/http/problem.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

namespace eskit::runtime::http {

Problem::Problem(int status, std::string code, std::string detail)
    : status_(status), code_(std::move(code)), detail_(std::move(detail)) {}

Problem Problem::invalid_field(std::string_view field, std::string_view message) {
  Problem p{400, "invalid-field", std::string(field) + ": " + std::string(message)};
  boost::json::array errors;
  errors.push_back(boost::json::object{{"field", field}, {"message", message}});
  p.with("errors", errors);
  return p;
}

std::string Problem::type() const { return "urn:eskit:problem:" + code_; }

std::string_view Problem::title() const noexcept { return reason_phrase(status_); }

Problem& Problem::with(std::string key, const boost::json::value& value) {
  extensions_.emplace_back(std::move(key), boost::json::serialize(value));
  return *this;
}

Problem& Problem::header(std::string name, std::string value) {
  headers_.set(std::move(name), std::move(value));
  return *this;
}

std::string Problem::to_json(std::string_view instance) const {
  boost::json::object doc;
  doc["type"] = type();
  doc["title"] = title();
  doc["status"] = status_;
  if (!detail_.empty()) doc["detail"] = detail_;
  if (!instance.empty()) doc["instance"] = instance;
  for (const auto& [key, json] : extensions_) {
    // The standard members are the server's to set; an extension never overrides them.
    if (doc.contains(key)) continue;
    doc[key] = boost::json::parse(json);
  }
  return boost::json::serialize(doc);
}

std::string_view reason_phrase(int status) noexcept {
  switch (status) {
    case 200:
      return "OK";
    case 201:
      return "Created";
    case 202:
      return "Accepted";
    case 204:
      return "No Content";
    case 301:
      return "Moved Permanently";
    case 302:
      return "Found";
    case 304:
      return "Not Modified";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 406:
      return "Not Acceptable";
    case 408:
      return "Request Timeout";
    case 409:
      return "Conflict";
    case 410:
      return "Gone";
    case 412:
      return "Precondition Failed";
    case 413:
      return "Content Too Large";
    case 415:
      return "Unsupported Media Type";
    case 422:
      return "Unprocessable Content";
    case 429:
      return "Too Many Requests";
    case 431:
      return "Request Header Fields Too Large";
    case 500:
      return "Internal Server Error";
    case 501:
      return "Not Implemented";
    case 502:
      return "Bad Gateway";
    case 503:
      return "Service Unavailable";
    case 504:
      return "Gateway Timeout";
    default:
      return "Unknown";
  }
}

}  // namespace eskit::runtime::http
