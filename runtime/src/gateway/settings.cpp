#include "eskit/runtime/gateway/settings.hpp"

#include <set>
#include <stdexcept>

#include "eskit/runtime/auth/settings.hpp"
#include "eskit/runtime/log/level.hpp"

namespace eskit::runtime::gateway {

namespace {

using namespace std::chrono_literals;

namespace setting {
constexpr std::string_view routes = "gateway.routes";
constexpr std::string_view upstreams = "gateway.upstreams";
constexpr std::string_view public_paths = "gateway.publicPaths";
constexpr std::string_view upstream_timeout = "gateway.upstreamTimeout";
constexpr std::string_view max_idle = "gateway.maxIdlePerUpstream";
constexpr std::string_view max_response = "gateway.maxResponseBytes";
constexpr std::string_view health_path = "gateway.health.path";
constexpr std::string_view health_interval = "gateway.health.interval";
constexpr std::string_view health_timeout = "gateway.health.timeout";
constexpr std::string_view cors_origins = "gateway.cors.allowedOrigins";
constexpr std::string_view cors_methods = "gateway.cors.allowedMethods";
constexpr std::string_view cors_headers = "gateway.cors.allowedHeaders";
constexpr std::string_view cors_exposed = "gateway.cors.exposedHeaders";
constexpr std::string_view cors_max_age = "gateway.cors.maxAge";
constexpr std::string_view cors_credentials = "gateway.cors.allowCredentials";
constexpr std::string_view address = "http.address";
constexpr std::string_view port = "http.port";
constexpr std::string_view io_threads = "http.ioThreads";
constexpr std::string_view worker_threads = "http.workerThreads";
constexpr std::string_view max_body = "http.maxBodyBytes";
constexpr std::string_view max_concurrent = "http.maxConcurrentRequests";
constexpr std::string_view log_level = "log.level";
constexpr std::string_view shutdown_grace = "shutdown.grace";
}  // namespace setting

std::string s(std::string_view name) { return std::string(name); }

class Checker {
 public:
  explicit Checker(const config::Config& config) : config_(config) {}

  void fail(std::string_view name, std::string message, std::string note = {}) {
    const config::Origin& origin = config_.origin(name);
    std::string where = origin.kind == config::Origin::Kind::fallback ? "" : origin.where;
    problems_.push_back({std::move(where), s(name), std::move(message), std::move(note)});
  }

  // "left=right" items of a list setting; a malformed item is reported and skipped.
  std::vector<std::pair<std::string, std::string>> pairs(std::string_view name,
                                                         std::string_view example) {
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& item : config_.strings(name)) {
      const auto equals = item.find('=');
      if (equals == std::string::npos || equals == 0 || equals + 1 == item.size()) {
        fail(name, "item '" + item + "' is not of the form " + std::string(example));
        continue;
      }
      out.emplace_back(item.substr(0, equals), item.substr(equals + 1));
    }
    return out;
  }

  std::int64_t at_least(std::string_view name, std::int64_t minimum) {
    const auto value = config_.integer(name);
    if (value < minimum) fail(name, "must be at least " + std::to_string(minimum));
    return value;
  }

  std::chrono::milliseconds positive(std::string_view name) {
    const auto value = config_.duration(name);
    if (value <= 0ms) fail(name, "must be longer than 0");
    return value;
  }

  void add(std::vector<config::Problem> more) {
    problems_.insert(problems_.end(), more.begin(), more.end());
  }
  std::vector<config::Problem>& problems() { return problems_; }

 private:
  const config::Config& config_;
  std::vector<config::Problem> problems_;
};

}  // namespace

void declare_gateway_settings(config::Schema& schema) {
  schema
      .strings(s(setting::routes), config::required,
               "path prefix=upstream name, e.g. /reviews=review (generated from the model)")
      .strings(s(setting::upstreams), config::required,
               "upstream name=base URL, e.g. review=http://review:8080")
      .strings(s(setting::public_paths), std::vector<std::string>{},
               "path prefixes that need no token, e.g. /auth/login")
      .duration(s(setting::upstream_timeout), 5'000ms,
                "deadline of a proxied call; no answer by then is a 504")
      .integer(s(setting::max_idle), 64, "keep-alive connections pooled per upstream")
      .integer(s(setting::max_response), 8 * 1024 * 1024, "larger upstream answers are a 502")
      .string(s(setting::health_path), "/ready", "each upstream's readiness endpoint")
      .duration(s(setting::health_interval), 5'000ms, "how often upstreams are checked")
      .duration(s(setting::health_timeout), 1'000ms, "deadline of one upstream check")
      .strings(s(setting::cors_origins), std::vector<std::string>{},
               "origins allowed by CORS, or * for any; empty: CORS off")
      .strings(s(setting::cors_methods), {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"},
               "methods a cross-origin page may use")
      .strings(s(setting::cors_headers), {"Authorization", "Content-Type", "X-Correlation-Id"},
               "request headers a cross-origin page may send, or *")
      .strings(s(setting::cors_exposed), {"X-Correlation-Id"},
               "response headers a cross-origin page may read")
      .duration(s(setting::cors_max_age), 600'000ms, "how long browsers cache a preflight")
      .boolean(s(setting::cors_credentials), false,
               "allow cookies and Authorization on cross-origin requests")
      .string(s(setting::address), "127.0.0.1",
              "address the gateway listens on; containers set 0.0.0.0")
      .integer(s(setting::port), 8080, "port the gateway listens on (0: any free port)")
      .integer(s(setting::io_threads), 1, "threads parsing and writing HTTP")
      .integer(s(setting::worker_threads), 32,
               "threads forwarding requests (each waits on its upstream)")
      .integer(s(setting::max_body), 1024 * 1024, "larger request bodies get 413")
      .integer(s(setting::max_concurrent), 256, "more requests in flight get 503 with Retry-After")
      .string(s(setting::log_level), "info", "trace, debug, info, warn or error")
      .duration(s(setting::shutdown_grace), 10'000ms,
                "how long requests in flight may take to finish at stop");
  auth::declare_auth_settings(schema);
}

GatewaySettingsResult read_gateway_settings(const config::Config& config) {
  Checker check(config);
  GatewaySettings settings;
  GatewayOptions& options = settings.options;

  for (auto& [name, url] : check.pairs(setting::upstreams, "name=http://host:port"))
    options.upstreams.push_back({std::move(name), std::move(url)});
  for (const auto& upstream : options.upstreams) {
    try {
      (void)upstream_base_url(upstream);
    } catch (const std::invalid_argument& e) {
      check.fail(setting::upstreams, e.what());
    }
  }
  std::set<std::string> names;
  for (const auto& upstream : options.upstreams)
    if (!names.insert(upstream.name).second)
      check.fail(setting::upstreams, "upstream '" + upstream.name + "' is listed twice");

  RouteTable table;
  for (auto& [prefix, upstream] : check.pairs(setting::routes, "/prefix=upstream")) {
    if (!names.contains(upstream)) {
      std::string known;
      for (const auto& name : names) known += (known.empty() ? "" : ", ") + name;
      check.fail(setting::routes,
                 "route '" + prefix + "' names upstream '" + upstream + "', which " +
                     s(setting::upstreams) + " does not list",
                 known.empty() ? "" : "known upstreams: " + known);
      continue;
    }
    try {
      table.add({prefix, upstream});
    } catch (const std::invalid_argument& e) {
      check.fail(setting::routes, e.what());
      continue;
    }
    options.routes.push_back({std::move(prefix), std::move(upstream)});
  }
  for (const auto& prefix : config.strings(setting::public_paths)) {
    try {
      RouteTable probe;
      probe.add({prefix, "public"});
      options.public_paths.push_back(prefix);
    } catch (const std::invalid_argument& e) {
      check.fail(setting::public_paths, e.what());
    }
  }

  options.upstream_timeout = check.positive(setting::upstream_timeout);
  options.max_idle_per_upstream = static_cast<std::size_t>(check.at_least(setting::max_idle, 0));
  options.max_response_bytes = static_cast<std::size_t>(check.at_least(setting::max_response, 1));
  options.monitor.path = config.string(setting::health_path);
  if (options.monitor.path.empty() || options.monitor.path.front() != '/')
    check.fail(setting::health_path, "must be a path starting with '/'");
  options.monitor.interval = check.positive(setting::health_interval);
  options.monitor.timeout = check.positive(setting::health_timeout);

  options.cors.allowed_origins = config.strings(setting::cors_origins);
  options.cors.allowed_methods = config.strings(setting::cors_methods);
  options.cors.allowed_headers = config.strings(setting::cors_headers);
  options.cors.exposed_headers = config.strings(setting::cors_exposed);
  options.cors.max_age =
      std::chrono::duration_cast<std::chrono::seconds>(config.duration(setting::cors_max_age));
  options.cors.allow_credentials = config.boolean(setting::cors_credentials);
  for (const auto& origin : options.cors.allowed_origins)
    if (origin != "*" && origin.find("://") == std::string::npos)
      check.fail(setting::cors_origins, "origin '" + origin + "' is not scheme://host[:port] or *",
                 "browsers send e.g. https://app.example, without a path");

  http::ServerOptions& server = options.server;
  server.address = config.string(setting::address);
  const auto port = config.integer(setting::port);
  if (port < 0 || port > 65535) check.fail(setting::port, "must be 0..65535");
  server.port = static_cast<std::uint16_t>(port);
  server.io_threads = static_cast<unsigned>(check.at_least(setting::io_threads, 1));
  server.worker_threads = static_cast<unsigned>(check.at_least(setting::worker_threads, 1));
  server.max_body_bytes = static_cast<std::size_t>(check.at_least(setting::max_body, 0));
  server.max_concurrent_requests =
      static_cast<std::size_t>(check.at_least(setting::max_concurrent, 1));

  settings.log_level = config.string(setting::log_level);
  if (!log::parse_level(settings.log_level))
    check.fail(setting::log_level, "must be trace, debug, info, warn or error");
  settings.shutdown_grace = config.duration(setting::shutdown_grace);

  auto auth = auth::read_auth_settings(config);
  if (auth.ok()) {
    options.verifier = auth.settings().verifier;
    options.realm = auth.settings().guard.realm;
    options.identity_headers = auth.settings().guard.forwarded;
  } else {
    check.add(auth.problems());
  }

  if (!check.problems().empty()) return GatewaySettingsResult(std::move(check.problems()));
  return GatewaySettingsResult(std::move(settings));
}

}  // namespace eskit::runtime::gateway
