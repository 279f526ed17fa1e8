#pragma once
// One synchronous call relation of the model (a command calling another context), made
// resilient: rate limiter → bulkhead → circuit breaker → retry → deadline → the HTTP call,
// with the relation's fallback when a stage rejects the call or the call fails.
//
//   ResilientClient payment{config, http_transport(client), Clock::system(), &registry};
//   auto answer = payment.call(http::ClientRequest::json("POST", url, body), incoming.deadline());
//   if (answer.outcome != CallOutcome::success) ...  // answer.result is the fallback's or the
//   error
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "eskit/runtime/http/client.hpp"
#include "eskit/runtime/resilience/bulkhead.hpp"
#include "eskit/runtime/resilience/circuit_breaker.hpp"
#include "eskit/runtime/resilience/clock.hpp"
#include "eskit/runtime/resilience/fallback.hpp"
#include "eskit/runtime/resilience/rate_limiter.hpp"
#include "eskit/runtime/resilience/retry.hpp"

namespace eskit::runtime::resilience {

// What a model's sync-call relation states; absent stages are not applied.
struct RelationConfig {
  std::string name;  // labels the relation's metrics, e.g. "dispatch.pay"
  // The whole call: every attempt and the backoff between them. Each attempt's share, never
  // past the caller's own deadline, is sent to the callee as X-Request-Deadline.
  std::chrono::milliseconds timeout{5'000};
  RetryPolicy retry;
  // POST and PATCH are sent again only when the callee surely did not act (connection
  // refused, host not found, 503); true retries them after timeouts and 502/504 too.
  bool retry_non_idempotent = false;
  std::optional<CircuitBreakerConfig> breaker;
  std::optional<BulkheadConfig> bulkhead;
  std::optional<RateLimiterConfig> rate_limit;
  FallbackConfig fallback;
};

enum class CallOutcome : std::uint8_t {
  success,        // the callee answered below 500
  failure,        // no answer, or a 5xx, after the retries
  breaker_open,   // not called: the breaker rejected it
  bulkhead_full,  // not called: too many calls in flight
  rate_limited,   // not called: over the rate limit
};

[[nodiscard]] std::string_view to_string(CallOutcome outcome) noexcept;

struct ResilientResult {
  http::CallResult result;  // the callee's answer, the fallback's, or why there is none
  CallOutcome outcome;
  bool from_fallback = false;
  int attempts = 0;  // requests sent to the callee
};

// How a request reaches the callee; tests give a function, services http_transport(client).
using Transport = std::function<http::CallResult(const http::ClientRequest&)>;
// `client` must outlive the transport.
[[nodiscard]] Transport http_transport(http::Client& client);

class ResilientClient {
 public:
  // `clock` and `metrics` must outlive the client; the stages record into `metrics` labelled
  // with the relation's name.
  ResilientClient(RelationConfig config, Transport transport, Clock& clock = Clock::system(),
                  http::MetricsRegistry* metrics = nullptr);
  ~ResilientClient();
  ResilientClient(const ResilientClient&) = delete;
  ResilientClient& operator=(const ResilientClient&) = delete;

  // `request.timeout` is replaced by each attempt's share of the relation's timeout, itself
  // cut to `caller_deadline` (the incoming request's, so the chain never works for a caller
  // that has given up). Safe to call from many threads at once.
  [[nodiscard]] ResilientResult call(
      http::ClientRequest request,
      std::optional<std::chrono::system_clock::time_point> caller_deadline = std::nullopt);

  // Null when the relation has no breaker; for admin endpoints (force open, reset) and tests.
  [[nodiscard]] CircuitBreaker* breaker() noexcept;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace eskit::runtime::resilience
