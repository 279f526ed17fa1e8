#include "eskit/runtime/resilience/rate_limiter.hpp"

#include <algorithm>
#include <stdexcept>

#include "eskit/runtime/http/metrics.hpp"

namespace eskit::runtime::resilience {

void validate(const RateLimiterConfig& config) {
  if (config.limit_for_period < 1)
    throw std::invalid_argument("limit_for_period must be at least 1");
  if (config.period <= std::chrono::milliseconds::zero())
    throw std::invalid_argument("period must be positive");
  if (config.max_wait < std::chrono::milliseconds::zero())
    throw std::invalid_argument("max_wait must not be negative");
}

RateLimiter::RateLimiter(const std::string& name, RateLimiterConfig config, Clock& clock,
                         http::MetricsRegistry* metrics)
    : config_(config), clock_(clock) {
  validate(config_);
  interval_ = std::max<std::int64_t>(
      1, std::chrono::nanoseconds{config_.period}.count() / config_.limit_for_period);
  tolerance_ = interval_ * (config_.limit_for_period - 1);
  if (metrics) {
    rejections_ = &metrics->counter("eskit_rate_limiter_rejections_total",
                                    "Calls rejected because the rate limit was reached.",
                                    {{"rate_limiter", name}});
  }
}

bool RateLimiter::acquire(Clock::duration budget) {
  auto longest =
      std::max(Clock::duration::zero(), std::min<Clock::duration>(config_.max_wait, budget))
          .count();
  auto now = clock_.now().time_since_epoch().count();
  auto arrival = arrival_.load();
  for (;;) {
    // `arrival` is when the bucket would be full again; a call is due `tolerance_` before it.
    auto base = std::max(arrival, now);
    auto wait = base - tolerance_ - now;
    if (wait > longest) {
      if (rejections_) rejections_->inc();
      return false;
    }
    // Reserving the turn before sleeping keeps later callers behind this one.
    if (arrival_.compare_exchange_weak(arrival, base + interval_)) {
      if (wait > 0) clock_.sleep_for(Clock::duration{wait});
      return true;
    }
  }
}

}  // namespace eskit::runtime::resilience
