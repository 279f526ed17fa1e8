#pragma once
// The gateway: one entry point in front of the bounded contexts' services. It routes path
// prefixes to upstreams, verifies the bearer token once and forwards the identity as headers,
// answers CORS preflights, adds X-Correlation-Id when absent, and reports its upstreams' health.
//
//   gateway::Gateway gateway{{.routes = {{"/reviews", "review"}},
//                             .upstreams = {{"review", "http://review:8080"}},
//                             .public_paths = {"/auth/login"},
//                             .verifier = verifier}};
//   gateway.start();
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "eskit/runtime/auth/forwarding.hpp"
#include "eskit/runtime/auth/verifier.hpp"
#include "eskit/runtime/gateway/cors.hpp"
#include "eskit/runtime/gateway/route_table.hpp"
#include "eskit/runtime/gateway/upstream_monitor.hpp"
#include "eskit/runtime/http/metrics.hpp"
#include "eskit/runtime/http/server.hpp"

namespace eskit::runtime::gateway {

// Handlers block while the upstream answers, so the gateway runs many more workers than a
// service does.
[[nodiscard]] inline http::ServerOptions proxy_server_options() {
  http::ServerOptions options;
  options.worker_threads = 32;
  return options;
}

struct GatewayOptions {
  // Every member has an initializer, so designated initializers may leave any out.
  std::vector<GatewayRoute> routes{};
  std::vector<Upstream> upstreams{};
  // Path prefixes (segment boundaries, as routes) that need no token: a login, public pages.
  // Everything else needs a valid bearer token.
  std::vector<std::string> public_paths{};
  // Verifies tokens; may be empty only when every route is under a public path.
  std::optional<auth::JwtVerifier> verifier{};
  std::string realm{};  // the WWW-Authenticate challenge's realm; empty: none
  // The identity headers set for upstreams; client-sent ones are always removed.
  auth::ForwardedIdentity identity_headers{};
  CorsPolicy cors{};
  // A proxied call's whole deadline (connect, send, answer); no answer by then: 504. A
  // caller's earlier X-Request-Deadline shortens it.
  std::chrono::milliseconds upstream_timeout{5'000};
  std::size_t max_idle_per_upstream = 64;            // pooled keep-alive connections per upstream
  std::size_t max_response_bytes = 8 * 1024 * 1024;  // larger upstream answers: 502
  MonitorOptions monitor{};
  http::ServerOptions server = proxy_server_options();
};

// The upstream's URL as requests are sent to it: "http://host[:port][/base]" without a trailing
// '/'. Throws std::invalid_argument naming the upstream when it is not such a URL.
[[nodiscard]] std::string upstream_base_url(const Upstream& upstream);

class Gateway {
 public:
  // Throws std::invalid_argument naming the mistake: a malformed or repeated prefix, a route
  // to an upstream that is not configured, an upstream URL that is not http://host[:port],
  // a protected route without a verifier.
  explicit Gateway(GatewayOptions options,
                   std::shared_ptr<http::MetricsRegistry> metrics = nullptr);
  ~Gateway();  // stop()
  Gateway(const Gateway&) = delete;
  Gateway& operator=(const Gateway&) = delete;

  // Starts the upstream monitor and the server; throws std::runtime_error when it cannot bind.
  void start();
  [[nodiscard]] std::uint16_t port() const noexcept;
  // Graceful: stops accepting, lets requests in flight finish within `grace`, stops the
  // monitor. Idempotent.
  void stop(std::chrono::milliseconds grace = std::chrono::milliseconds{10'000});

  [[nodiscard]] http::MetricsRegistry& metrics() noexcept;
  [[nodiscard]] const UpstreamMonitor& monitor() const noexcept;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace eskit::runtime::gateway
