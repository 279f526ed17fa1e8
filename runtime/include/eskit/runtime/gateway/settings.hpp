#pragma once
// The gateway's settings through the config module: the generator emits the routes from the
// model's `gateway: routes:`, and deployment supplies the upstreams' URLs (Kubernetes service
// DNS, or local ports), so where a service runs is configuration only.
//
//   gateway:
//     routes: [/reviews=review, /schedules=schedule]      # prefix=upstream
//     upstreams: [review=http://review:8080, schedule=http://schedule:8080]
//     publicPaths: [/auth/login]
//     cors: {allowedOrigins: [https://app.example], maxAge: 10m}
//
// Every list is also an ESKIT_GATEWAY_... variable of comma-separated items
// (ESKIT_GATEWAY_UPSTREAMS="review=http://127.0.0.1:8081,schedule=http://127.0.0.1:8082").
// The JWT keys are the auth module's settings (auth.jwt.*), from a mounted Secret.
#include <iosfwd>
#include <optional>
#include <utility>
#include <vector>

#include "eskit/runtime/config/config.hpp"
#include "eskit/runtime/config/problem.hpp"
#include "eskit/runtime/config/schema.hpp"
#include "eskit/runtime/gateway/gateway.hpp"

namespace eskit::runtime::gateway {

// gateway.*, the listener's http.* (address, port, threads, limits), shutdown.grace,
// log.level and the auth module's auth.*.
void declare_gateway_settings(config::Schema& schema);

struct GatewaySettings {
  GatewayOptions options;
  std::chrono::milliseconds shutdown_grace{10'000};
  std::string log_level = "info";
};

class GatewaySettingsResult {
 public:
  explicit GatewaySettingsResult(GatewaySettings settings) : settings_(std::move(settings)) {}
  explicit GatewaySettingsResult(std::vector<config::Problem> problems)
      : problems_(std::move(problems)) {}

  [[nodiscard]] bool ok() const { return settings_.has_value(); }
  [[nodiscard]] const GatewaySettings& settings() const { return settings_.value(); }
  [[nodiscard]] const std::vector<config::Problem>& problems() const { return problems_; }

 private:
  std::optional<GatewaySettings> settings_;
  std::vector<config::Problem> problems_;
};

// Every problem at once: an item that is not name=value, a route to an unknown upstream, an
// upstream URL that is not http://, a repeated prefix or name, bad auth keys.
[[nodiscard]] GatewaySettingsResult read_gateway_settings(const config::Config& config);

// The `eskit gateway` process: --config FILE, --print-config, configuration (exit 78 with every
// problem), serve until SIGINT or SIGTERM, graceful stop. Returns the exit status.
int gateway_main(int argc, char** argv);

}  // namespace eskit::runtime::gateway
