#pragma once
// Routes by method and path template ("/calls/{callId}"). Distinguishes a path nobody serves
// (404) from a method the path does not allow (405, with the allowed methods).
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "eskit/runtime/http/request.hpp"
#include "eskit/runtime/http/response.hpp"

namespace eskit::runtime::http {

using Handler = std::function<Response(Request&)>;

// What a route expects as its body. `json` routes answer 415 to another Content-Type and 400 to
// malformed JSON before the handler runs, so handlers can use request.json() freely.
enum class Body { any, json };

struct Route {
  std::string method;
  std::string path_template;
  Handler handler;
  Body body = Body::any;
  std::vector<std::string> pattern;  // the template's segments, parameters still in braces
};

struct RouteMatch {
  enum class Outcome { found, not_found, method_not_allowed };
  Outcome outcome = Outcome::not_found;
  const Route* route = nullptr;
  Params params;
  std::vector<std::string> allowed;  // for method_not_allowed, sorted
};

class Router {
 public:
  // Throws std::invalid_argument for a malformed template ("/a/{", "/a/{x}/{x}", no leading
  // '/') or a second route with the same method and path shape.
  Router& route(std::string method, std::string path_template, Handler handler,
                Body body = Body::any);
  Router& get(std::string path_template, Handler handler);
  Router& post(std::string path_template, Handler handler, Body body = Body::json);
  Router& put(std::string path_template, Handler handler, Body body = Body::json);
  Router& patch(std::string path_template, Handler handler, Body body = Body::json);
  Router& del(std::string path_template, Handler handler);

  // Handles every request whose path no route serves, instead of a 404: a gateway's proxy.
  // A path a route serves with other methods still answers 405. `label` stands for the route
  // template in metrics and Request::route().
  Router& fallback(Handler handler, std::string label = "fallback");

  [[nodiscard]] bool has(std::string_view method, std::string_view path_template) const;
  // When several templates match, the one with a literal segment earliest wins
  // ("/calls/active" before "/calls/{callId}").
  [[nodiscard]] RouteMatch match(std::string_view method,
                                 const std::vector<std::string>& segments) const;
  [[nodiscard]] const std::vector<Route>& routes() const noexcept { return routes_; }

 private:
  std::vector<Route> routes_;
  std::optional<Route> fallback_;
};

}  // namespace eskit::runtime::http
