#include "dispatcher.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <cctype>
#include <exception>

#include "eskit/runtime/http/problem.hpp"
#include "eskit/runtime/log/correlation.hpp"
#include "eskit/runtime/text/join.hpp"
#include "eskit/runtime/text/uuid.hpp"

namespace eskit::runtime::http {

namespace {

constexpr std::string_view unmatched = "unmatched";

// Accepted from the caller only when it is a sane token; anything else gets a fresh id rather
// than being copied into every log line.
bool usable_correlation_id(std::string_view id) {
  if (id.empty() || id.size() > 128) return false;
  for (const char c : id)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.' ||
          c == ':'))
      return false;
  return true;
}

std::string_view path_of(std::string_view target) { return target.substr(0, target.find('?')); }

}  // namespace

std::string_view method_label(std::string_view method) noexcept {
  for (std::string_view known : {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
    if (method == known) return known;
  return "OTHER";
}

Dispatcher::Dispatcher(Router router, std::shared_ptr<MetricsRegistry> metrics,
                       std::shared_ptr<Readiness> readiness, ErrorLog error_log)
    : router_(std::move(router)),
      metrics_(std::move(metrics)),
      readiness_(std::move(readiness)),
      error_log_(std::move(error_log)) {
  // A service may serve its own versions of these; the built-ins only fill the gaps.
  if (!router_.has("GET", "/health"))
    router_.get("/health", [](Request&) {
      return Response::json(boost::json::object{{"status", "up"}});
    });
  if (!router_.has("GET", "/ready")) router_.get("/ready", [this](Request&) { return ready(); });
  if (!router_.has("GET", "/metrics"))
    router_.get("/metrics", [this](Request&) {
      return Response::text(metrics_->render(), 200, std::string(MetricsRegistry::content_type));
    });
}

Response Dispatcher::ready() const {
  boost::json::array checks;
  std::string failing;
  for (const auto& outcome : readiness_->run()) {
    boost::json::object check{{"name", outcome.name},
                              {"status", outcome.result.ok ? "ok" : "failing"}};
    if (!outcome.result.ok) {
      check["reason"] = outcome.result.reason;
      if (!failing.empty()) failing += "; ";
      failing += outcome.name + ": " + outcome.result.reason;
    }
    checks.push_back(std::move(check));
  }
  if (draining_.load()) {
    if (!failing.empty()) failing = "; " + failing;
    failing = "the server is shutting down" + failing;
  }
  if (failing.empty())
    return Response::json(boost::json::object{{"status", "ready"}, {"checks", checks}});
  Problem problem{503, "not-ready", failing};
  problem.with("checks", checks);
  return Response::problem(problem, "/ready");
}

Response Dispatcher::handle(std::string method, std::string target, Headers headers,
                            std::string body, std::string remote_address) {
  auto start = std::chrono::steady_clock::now();
  std::string route{unmatched};
  std::string method_copy = method;
  std::string path{path_of(target)};
  Response response;
  const auto offered = headers.get(correlation_header);
  std::string correlation_id =
      offered && usable_correlation_id(*offered) ? std::string(*offered) : text::new_uuid();
  // The handler's log lines, the events it appends and its outgoing calls carry the id.
  log::CorrelationScope scope(correlation_id);
  try {
    Request request(std::move(method), std::move(target), std::move(headers), std::move(body));
    request.set_remote_address(std::move(remote_address));
    auto match = router_.match(request.method(), request.segments());
    switch (match.outcome) {
      case RouteMatch::Outcome::not_found:
        throw Problem{404, "not-found", "nothing is served at " + path};
      case RouteMatch::Outcome::method_not_allowed:
        throw Problem{405, "method-not-allowed", request.method() + " is not allowed on " + path}
            .header("Allow", text::join(match.allowed, ", "));
      case RouteMatch::Outcome::found:
        break;
    }
    route = match.route->path_template;
    request.set_route(route, std::move(match.params));
    // A JSON route's contract is checked before the handler: 415, then 400.
    if (match.route->body == Body::json) (void)request.json();
    response = match.route->handler(request);
    if (response.status < 100 || response.status > 999) {
      error_log_("handler for " + method_copy + " " + route + " returned status " +
                 std::to_string(response.status));
      response = Response::problem(
          Problem{500, "internal-error", "the server failed to handle the request"}, path);
    }
  } catch (const Problem& problem) {
    response = Response::problem(problem, path);
  } catch (const std::exception& e) {
    // The reason goes to the operator's log, never to the caller: it may name tables,
    // hosts or stack details.
    error_log_("handler for " + method_copy + " " + route + " threw: " + e.what());
    response = Response::problem(
        Problem{500, "internal-error", "the server failed to handle the request"}, path);
  } catch (...) {
    error_log_("handler for " + method_copy + " " + route + " threw a non-exception");
    response = Response::problem(
        Problem{500, "internal-error", "the server failed to handle the request"}, path);
  }
  response.headers.set(std::string(correlation_header), std::move(correlation_id));
  record(method_copy, route, response.status,
         std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  return response;
}

std::string Dispatcher::route_label(std::string_view method, std::string_view target) const {
  try {
    Request request{std::string(method), std::string(target)};
    auto match = router_.match(request.method(), request.segments());
    if (match.route) return match.route->path_template;
  } catch (...) {
  }
  return std::string(unmatched);
}

void Dispatcher::record(std::string_view method, std::string_view route, int status,
                        double seconds) {
  std::string method_name{method_label(method)};
  metrics_
      ->counter("http_server_requests_total",
                "HTTP requests answered, by route template and status",
                {{"method", method_name},
                 {"route", std::string(route)},
                 {"status", std::to_string(status)}})
      .inc();
  metrics_
      ->histogram("http_server_request_duration_seconds",
                  "Time to handle an HTTP request, by route template",
                  {{"method", method_name}, {"route", std::string(route)}})
      .observe(seconds);
}

}  // namespace eskit::runtime::http
