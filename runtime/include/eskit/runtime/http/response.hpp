#pragma once
// What a handler returns: a status, headers and a body already serialized, so the server's
// I/O threads never touch application types.
#include <boost/json/fwd.hpp>

#include <string>
#include <string_view>

#include "eskit/runtime/http/headers.hpp"

namespace eskit::runtime::http {

class Problem;

struct Response {
  int status = 200;
  Headers headers;
  std::string body;

  static Response json(const boost::json::value& body, int status = 200);
  static Response text(std::string body, int status = 200,
                       std::string content_type = "text/plain; charset=utf-8");
  static Response no_content();
  static Response problem(const Problem& problem, std::string_view instance = {});
};

}  // namespace eskit::runtime::http
