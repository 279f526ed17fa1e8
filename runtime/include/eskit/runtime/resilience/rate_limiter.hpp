#pragma once
// A token bucket on the resilience Clock: limit_for_period calls per period on average, up to
// limit_for_period at once after a quiet spell. Kept as one atomic "theoretical arrival time"
// (the GCRA form of a token bucket), so acquiring is a compare-and-swap, never a lock.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>

#include "eskit/runtime/resilience/clock.hpp"

namespace eskit::runtime::http {
class Counter;
class MetricsRegistry;
}  // namespace eskit::runtime::http

namespace eskit::runtime::resilience {

struct RateLimiterConfig {
  int limit_for_period = 50;
  std::chrono::milliseconds period{1'000};
  // How long a call may wait for its turn; zero rejects at once.
  std::chrono::milliseconds max_wait{0};
};

// Throws std::invalid_argument naming the first setting out of range.
void validate(const RateLimiterConfig& config);

class RateLimiter {
 public:
  // With a registry it counts eskit_rate_limiter_rejections_total{rate_limiter="<name>"}.
  RateLimiter(const std::string& name, RateLimiterConfig config, Clock& clock = Clock::system(),
              http::MetricsRegistry* metrics = nullptr);
  RateLimiter(const RateLimiter&) = delete;
  RateLimiter& operator=(const RateLimiter&) = delete;

  // True when the call may go ahead, after sleeping on the clock for its turn if that takes
  // no longer than the shorter of max_wait and `budget`.
  [[nodiscard]] bool acquire(Clock::duration budget = Clock::duration::max());

 private:
  RateLimiterConfig config_;
  Clock& clock_;
  std::int64_t interval_;   // nanoseconds between two calls at the sustained rate
  std::int64_t tolerance_;  // how far ahead of the sustained rate a burst may run
  std::atomic<std::int64_t> arrival_{0};
  http::Counter* rejections_ = nullptr;
};

}  // namespace eskit::runtime::resilience
