#include "eskit/runtime/gateway/gateway.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <algorithm>
#include <ctime>
#include <iostream>
#include <map>
#include <stdexcept>

#include "eskit/runtime/auth/guard.hpp"
#include "eskit/runtime/http/client.hpp"
#include "eskit/runtime/http/problem.hpp"
#include "eskit/runtime/log/correlation.hpp"
#include "forwarded_headers.hpp"

namespace eskit::runtime::gateway {

namespace {

using Clock = std::chrono::steady_clock;

}  // namespace

std::string upstream_base_url(const Upstream& upstream) {
  constexpr std::string_view scheme = "http://";
  std::string_view url = upstream.base_url;
  auto fail = [&](std::string why) -> std::string {
    throw std::invalid_argument("upstream '" + upstream.name + "': URL '" + upstream.base_url +
                                "' " + why);
  };
  if (url.substr(0, scheme.size()) != scheme)
    return fail("must start with http:// (https upstreams are not supported yet)");
  const auto authority = url.substr(scheme.size(), url.find('/', scheme.size()) - scheme.size());
  if (authority.empty() || authority.front() == ':') return fail("has no host");
  if (url.find_first_of("?#") != std::string_view::npos)
    return fail("must not have a query or fragment");
  while (url.size() > scheme.size() + authority.size() && url.back() == '/') url.remove_suffix(1);
  return std::string(url);
}

namespace {

std::string iso8601(std::chrono::system_clock::time_point at) {
  const auto millis = std::chrono::duration_cast<std::chrono::milliseconds>(at.time_since_epoch());
  const std::time_t seconds = static_cast<std::time_t>(millis.count() / 1000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[32];
  const auto n = std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &utc);
  char fraction[8];
  std::snprintf(fraction, sizeof fraction, ".%03dZ", static_cast<int>(millis.count() % 1000));
  return std::string(text, n) + fraction;
}

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

}  // namespace

struct Gateway::Impl {
  GatewayOptions options;
  RouteTable table;
  std::map<std::string, std::string, std::less<>> base_urls;  // upstream name → base URL
  std::vector<std::vector<std::string>> public_prefixes;
  std::optional<auth::Guard> guard;
  std::shared_ptr<http::MetricsRegistry> metrics;
  std::unique_ptr<http::Client> client;
  std::unique_ptr<UpstreamMonitor> monitor;
  std::unique_ptr<http::Server> server;
  bool stopped = false;

  void log_error(std::string_view line) const {
    if (options.server.error_log)
      options.server.error_log(line);
    else
      std::cerr << "eskit-gateway: " << line << '\n';
  }

  bool is_public(const std::vector<std::string>& segments) const {
    return std::any_of(public_prefixes.begin(), public_prefixes.end(),
                       [&](const auto& prefix) { return covers(prefix, segments); });
  }

  void record(std::string_view method, std::string_view route, std::string_view upstream,
              int status, Clock::time_point started) {
    const std::string method_name(method_label(method));
    metrics
        ->counter("gateway_requests_total", "Requests the gateway answered, by route and status",
                  {{"method", method_name},
                   {"route", std::string(route)},
                   {"upstream", std::string(upstream)},
                   {"status", std::to_string(status)}})
        .inc();
    metrics
        ->histogram("gateway_request_duration_seconds",
                    "Time from the gateway receiving a request to its answer, by route",
                    {{"route", std::string(route)}, {"upstream", std::string(upstream)}})
        .observe(seconds_since(started));
  }

  void count_upstream_error(std::string_view upstream, std::string_view kind) {
    metrics
        ->counter("gateway_upstream_errors_total",
                  "Proxied calls that got no answer from the upstream, by reason",
                  {{"upstream", std::string(upstream)}, {"reason", std::string(kind)}})
        .inc();
  }

  static std::string_view method_label(std::string_view method) {
    for (std::string_view known : {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
      if (method == known) return known;
    return "OTHER";
  }

  http::Response finish(http::Response response, const http::Request& request) const {
    apply_cors(options.cors, request.headers().get("Origin"), response);
    return response;
  }

  http::Response proxy(http::Request& request) {
    const auto started = Clock::now();
    const std::string path = request.target().substr(0, request.target().find('?'));
    if (options.cors.enabled() && is_preflight(request)) {
      auto response = answer_preflight(options.cors, request);
      record(request.method(), "preflight", "", response.status, started);
      return response;
    }
    const auto route = table.match(request.segments());
    if (!route) {
      auto response = http::Response::problem(
          http::Problem{404, "no-route", "no gateway route serves " + path}, path);
      record(request.method(), "unmatched", "", response.status, started);
      return finish(std::move(response), request);
    }
    auto answer = [&](http::Response response) {
      record(request.method(), route->prefix, route->upstream, response.status, started);
      return finish(std::move(response), request);
    };

    http::Headers headers =
        upstream_request_headers(request, std::string(log::current_correlation_id()));
    // Only the gateway speaks for who the caller is: a client's own identity headers never
    // pass, on public routes either.
    std::optional<auth::Identity> identity;
    const bool public_route = is_public(request.segments());
    if (!public_route || (guard && request.headers().contains("Authorization"))) {
      try {
        if (!guard) throw http::Problem{401, "missing-token", "this gateway verifies no tokens"};
        identity = guard->authenticate(request);
      } catch (const http::Problem& problem) {
        // A public route still serves a caller whose token is bad, as an anonymous one.
        if (!public_route) return answer(http::Response::problem(problem, path));
      }
    }
    try {
      if (identity)
        auth::forward_identity(*identity, headers, options.identity_headers);
      else
        auth::strip_forwarded_identity(headers, options.identity_headers);
    } catch (const std::invalid_argument& e) {
      return answer(
          http::Response::problem(http::Problem{401, "invalid-token",
                                                std::string("the token's identity cannot be "
                                                            "forwarded: ") +
                                                    e.what()},
                                  path));
    }

    // Never past the caller's own deadline.
    auto timeout = options.upstream_timeout;
    if (const auto deadline = request.deadline()) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          *deadline - std::chrono::system_clock::now());
      if (left <= std::chrono::milliseconds{0}) {
        count_upstream_error(route->upstream, "deadline");
        return answer(http::Response::problem(
            http::Problem{504, "upstream-timeout", "the caller's deadline has already passed"},
            path));
      }
      timeout = std::min(timeout, left);
    }

    http::ClientRequest call;
    call.method = request.method();
    call.url = base_urls.find(route->upstream)->second + request.target();
    call.headers = std::move(headers);
    call.body = request.body();
    call.timeout = timeout;
    auto result = client->call(call);
    if (!result) {
      const auto& error = result.error();
      count_upstream_error(route->upstream, http::to_string(error.code));
      // The operator's log gets the reason; the caller only learns which upstream failed.
      log_error("upstream '" + route->upstream + "' for " + request.method() + " " + path + ": " +
                error.message);
      if (error.code == http::ClientErrc::timeout)
        return answer(http::Response::problem(
            http::Problem{504, "upstream-timeout",
                          "upstream '" + route->upstream + "' did not answer within " +
                              std::to_string(timeout.count()) + " ms"},
            path));
      return answer(http::Response::problem(
          http::Problem{
              502, "bad-gateway",
              "upstream '" + route->upstream + "' " +
                  (error.code == http::ClientErrc::connection_refused
                       ? "refused the connection"
                       : "failed to answer (" + std::string(http::to_string(error.code)) + ")")},
          path));
    }
    http::Response response;
    response.status = result->status;
    response.headers = client_response_headers(result->headers);
    response.body = result->body;
    return answer(std::move(response));
  }

  http::Response upstream_report() const {
    boost::json::array upstreams;
    for (const auto& state : monitor->snapshot()) {
      boost::json::object item{{"name", state.name},
                               {"url", state.base_url},
                               {"state", to_string(state.health)},
                               {"consecutiveFailures", state.consecutive_failures}};
      if (state.health != UpstreamState::Health::unknown) {
        item["lastCheck"] = iso8601(state.last_check);
        item["latencyMs"] = state.latency.count();
        item["status"] = state.status;
      }
      if (!state.reason.empty()) item["reason"] = state.reason;
      upstreams.push_back(std::move(item));
    }
    return http::Response::json(boost::json::object{{"upstreams", std::move(upstreams)}});
  }
};

Gateway::Gateway(GatewayOptions options, std::shared_ptr<http::MetricsRegistry> metrics)
    : impl_(std::make_unique<Impl>()) {
  Impl& impl = *impl_;
  impl.options = std::move(options);
  impl.metrics = metrics ? std::move(metrics) : std::make_shared<http::MetricsRegistry>();
  for (const auto& upstream : impl.options.upstreams) {
    if (upstream.name.empty()) throw std::invalid_argument("an upstream has no name");
    auto url = upstream_base_url(upstream);
    if (!impl.base_urls.emplace(upstream.name, std::move(url)).second)
      throw std::invalid_argument("upstream '" + upstream.name + "' is configured twice");
  }
  for (const auto& route : impl.options.routes) {
    if (!impl.base_urls.contains(route.upstream))
      throw std::invalid_argument("route '" + route.prefix + "' names upstream '" + route.upstream +
                                  "', which is not configured");
    impl.table.add(route);
  }
  for (const auto& prefix : impl.options.public_paths) {
    // A public path is validated as a route prefix would be.
    RouteTable check;
    check.add({prefix, "public"});
    impl.public_prefixes.push_back(path_segments(check.routes().front().prefix));
  }
  if (impl.options.verifier) {
    impl.guard.emplace(*impl.options.verifier,
                       auth::GuardOptions{.realm = impl.options.realm, .forwarded = {}});
  } else {
    for (const auto& route : impl.table.routes())
      if (!impl.is_public(path_segments(route.prefix)))
        throw std::invalid_argument("route '" + route.prefix +
                                    "' needs a token, but no JWT verifier is configured");
  }

  http::ClientOptions client_options;
  client_options.max_idle_per_host = impl.options.max_idle_per_upstream;
  client_options.max_response_bytes = impl.options.max_response_bytes;
  client_options.user_agent = "eskit-gateway";
  impl.client = std::make_unique<http::Client>(client_options);

  std::vector<Upstream> upstreams;
  for (const auto& [name, url] : impl.base_urls) upstreams.push_back({name, url});
  std::stable_sort(upstreams.begin(), upstreams.end(), [&](const Upstream& a, const Upstream& b) {
    auto position = [&](const std::string& name) {
      return std::find_if(impl.options.upstreams.begin(), impl.options.upstreams.end(),
                          [&](const Upstream& u) { return u.name == name; }) -
             impl.options.upstreams.begin();
    };
    return position(a.name) < position(b.name);
  });
  impl.monitor = std::make_unique<UpstreamMonitor>(upstreams, impl.options.monitor);

  auto readiness = std::make_shared<http::Readiness>();
  for (const auto& upstream : upstreams) {
    readiness->add(upstream.name, [monitor = impl.monitor.get(), name = upstream.name] {
      for (const auto& state : monitor->snapshot())
        if (state.name == name)
          return state.health == UpstreamState::Health::up
                     ? http::CheckResult::healthy()
                     : http::CheckResult::failing(state.reason);
      return http::CheckResult::failing("not monitored");
    });
    impl.metrics->gauge_function(
        "gateway_upstream_up", "1 while the upstream's readiness check passes, else 0",
        {{"upstream", upstream.name}}, [monitor = impl.monitor.get(), name = upstream.name] {
          for (const auto& state : monitor->snapshot())
            if (state.name == name) return state.health == UpstreamState::Health::up ? 1.0 : 0.0;
          return 0.0;
        });
  }

  http::Router router;
  router.get("/gateway/upstreams", [&impl](http::Request&) { return impl.upstream_report(); });
  router.fallback([&impl](http::Request& request) { return impl.proxy(request); }, "gateway");
  impl.server = std::make_unique<http::Server>(std::move(router), impl.options.server, impl.metrics,
                                               std::move(readiness));
}

Gateway::~Gateway() { stop(); }

void Gateway::start() {
  impl_->monitor->start();
  impl_->server->start();
}

std::uint16_t Gateway::port() const noexcept { return impl_->server->port(); }

void Gateway::stop(std::chrono::milliseconds grace) {
  if (impl_->stopped) return;
  impl_->stopped = true;
  impl_->server->stop(grace);
  impl_->monitor->stop();
}

http::MetricsRegistry& Gateway::metrics() noexcept { return *impl_->metrics; }

const UpstreamMonitor& Gateway::monitor() const noexcept { return *impl_->monitor; }

}  // namespace eskit::runtime::gateway
