#include "eskit/runtime/resilience/resilient_client.hpp"

#include <algorithm>
#include <string>
#include <utility>

namespace eskit::runtime::resilience {
namespace {

// RFC 9110 §9.2.2: sending these twice has the effect of sending them once.
bool idempotent(std::string_view method) {
  return method == "GET" || method == "HEAD" || method == "PUT" || method == "DELETE" ||
         method == "OPTIONS" || method == "TRACE";
}

bool failed(const http::CallResult& result) { return !result || result->status >= 500; }

}  // namespace

std::string_view to_string(CallOutcome outcome) noexcept {
  switch (outcome) {
    case CallOutcome::success:
      return "success";
    case CallOutcome::failure:
      return "failure";
    case CallOutcome::breaker_open:
      return "breaker_open";
    case CallOutcome::bulkhead_full:
      return "bulkhead_full";
    case CallOutcome::rate_limited:
      return "rate_limited";
  }
  return "unknown";
}

Transport http_transport(http::Client& client) {
  return [&client](const http::ClientRequest& request) { return client.call(request); };
}

struct ResilientClient::Impl {
  Impl(RelationConfig config_, Transport transport_, Clock& clock_, http::MetricsRegistry* metrics)
      : config(std::move(config_)),
        transport(std::move(transport_)),
        clock(clock_),
        retry(config.name, config.retry, clock, metrics),
        fallback(config.fallback) {
    if (config.rate_limit) rate_limiter.emplace(config.name, *config.rate_limit, clock, metrics);
    if (config.bulkhead) bulkhead.emplace(config.name, *config.bulkhead, metrics);
    if (config.breaker) breaker.emplace(config.name, *config.breaker, clock, metrics);
  }

  // Only what a second try can cure, and only when sending the request twice is harmless or
  // the first one surely never reached the callee's logic.
  [[nodiscard]] bool retryable(std::string_view method, const http::CallResult& result) const {
    bool replay_safe = config.retry_non_idempotent || idempotent(method);
    if (!result) {
      switch (result.error().code) {
        case http::ClientErrc::connection_refused:
        case http::ClientErrc::host_not_found:
          return true;
        case http::ClientErrc::timeout:
        case http::ClientErrc::connection_failed:
          return replay_safe;
        case http::ClientErrc::invalid_url:
        case http::ClientErrc::protocol_error:
        case http::ClientErrc::shutting_down:
          return false;
      }
      return false;
    }
    if (result->status == 503) return true;  // load shedding: answered before any handler ran
    return (result->status == 502 || result->status == 504) && replay_safe;
  }

  ResilientResult rejected(const http::ClientRequest& request, CallOutcome outcome) const {
    Clock::duration retry_after = std::chrono::seconds{1};
    if (outcome == CallOutcome::breaker_open) retry_after = breaker->retry_after();
    return {fallback.answer(request, retry_after), outcome, true, 0};
  }

  ResilientResult failure(const http::ClientRequest& request, http::CallResult result,
                          int attempts) const {
    if (config.fallback.kind == FallbackKind::none)
      return {std::move(result), CallOutcome::failure, false, attempts};
    return {fallback.answer(request, std::chrono::seconds{1}), CallOutcome::failure, true,
            attempts};
  }

  RelationConfig config;
  Transport transport;
  Clock& clock;
  Retry retry;
  Fallback fallback;
  std::optional<RateLimiter> rate_limiter;
  std::optional<Bulkhead> bulkhead;
  std::optional<CircuitBreaker> breaker;
};

ResilientClient::ResilientClient(RelationConfig config, Transport transport, Clock& clock,
                                 http::MetricsRegistry* metrics)
    : impl_(std::make_unique<Impl>(std::move(config), std::move(transport), clock, metrics)) {}

ResilientClient::~ResilientClient() = default;

CircuitBreaker* ResilientClient::breaker() noexcept {
  return impl_->breaker ? &*impl_->breaker : nullptr;
}

ResilientResult ResilientClient::call(
    http::ClientRequest request,
    std::optional<std::chrono::system_clock::time_point> caller_deadline) {
  auto& s = *impl_;
  Clock::duration budget = s.config.timeout;
  if (caller_deadline) {
    budget = std::min(budget, std::chrono::duration_cast<Clock::duration>(
                                  *caller_deadline - std::chrono::system_clock::now()));
  }
  if (budget <= Clock::duration::zero()) {
    return s.failure(
        request, http::ClientError{http::ClientErrc::timeout, "the caller's deadline has passed"},
        0);
  }
  auto deadline = s.clock.now() + budget;
  auto left = [&] { return deadline - s.clock.now(); };

  if (s.rate_limiter && !s.rate_limiter->acquire(left()))
    return s.rejected(request, CallOutcome::rate_limited);
  auto slot = s.bulkhead ? s.bulkhead->try_acquire(left()) : std::optional<Bulkhead::Permit>{};
  if (s.bulkhead && !slot) return s.rejected(request, CallOutcome::bulkhead_full);
  auto permit = s.breaker ? s.breaker->try_acquire() : std::optional<CircuitBreaker::Permit>{};
  if (s.breaker && !permit) return s.rejected(request, CallOutcome::breaker_open);

  int attempts = 0;
  auto result = s.retry.run(
      deadline,
      [&](Clock::duration share) -> http::CallResult {
        auto timeout = std::chrono::floor<std::chrono::milliseconds>(share);
        if (timeout <= std::chrono::milliseconds::zero())
          return http::ClientError{http::ClientErrc::timeout, "no time left for another attempt"};
        ++attempts;
        request.timeout = timeout;
        // Set here rather than left to http::Client, which adds the timeout to its own clock
        // reading, taken later on its I/O thread: that could promise the callee more time than
        // the caller has left.
        auto absolute = std::chrono::system_clock::now() + timeout;
        if (caller_deadline) absolute = std::min(absolute, *caller_deadline);
        request.headers.set("X-Request-Deadline",
                            std::to_string(std::chrono::floor<std::chrono::milliseconds>(
                                               absolute.time_since_epoch())
                                               .count()));
        return s.transport(request);
      },
      [&](const http::CallResult& last) { return s.retryable(request.method, last); });

  if (failed(result)) {
    // Not one request went out (no time left): the breaker has nothing to judge.
    if (permit && attempts > 0) permit->on_failure();
    return s.failure(request, std::move(result), attempts);
  }
  if (permit) permit->on_success();
  s.fallback.remember(request, result.response());
  return {std::move(result), CallOutcome::success, false, attempts};
}

}  // namespace eskit::runtime::resilience
