#include "eskit/runtime/http/response.hpp"

#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include "eskit/runtime/http/problem.hpp"

namespace eskit::runtime::http {

Response Response::json(const boost::json::value& body, int status) {
  Response r;
  r.status = status;
  r.headers.set("Content-Type", "application/json");
  r.body = boost::json::serialize(body);
  return r;
}

Response Response::text(std::string body, int status, std::string content_type) {
  Response r;
  r.status = status;
  r.headers.set("Content-Type", std::move(content_type));
  r.body = std::move(body);
  return r;
}

Response Response::no_content() {
  Response r;
  r.status = 204;
  return r;
}

Response Response::problem(const Problem& problem, std::string_view instance) {
  Response r;
  r.status = problem.status();
  for (const auto& [name, value] : problem.headers()) r.headers.set(name, value);
  r.headers.set("Content-Type", "application/problem+json");
  r.body = problem.to_json(instance);
  return r;
}

}  // namespace eskit::runtime::http
