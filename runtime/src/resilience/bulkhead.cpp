#include "eskit/runtime/resilience/bulkhead.hpp"

#include <algorithm>
#include <stdexcept>

#include "eskit/runtime/http/metrics.hpp"

namespace eskit::runtime::resilience {

void validate(const BulkheadConfig& config) {
  if (config.max_concurrent_calls < 1)
    throw std::invalid_argument("max_concurrent_calls must be at least 1");
  if (config.max_wait < std::chrono::milliseconds::zero())
    throw std::invalid_argument("max_wait must not be negative");
}

Bulkhead::Bulkhead(const std::string& name, BulkheadConfig config, http::MetricsRegistry* metrics)
    : config_(config) {
  validate(config_);
  if (metrics) {
    rejections_ =
        &metrics->counter("eskit_bulkhead_rejections_total",
                          "Calls rejected because the bulkhead was full.", {{"bulkhead", name}});
  }
}

bool Bulkhead::take() noexcept {
  auto busy = in_flight_.load();
  while (busy < config_.max_concurrent_calls) {
    if (in_flight_.compare_exchange_weak(busy, busy + 1)) return true;
  }
  return false;
}

void Bulkhead::release() noexcept {
  in_flight_.fetch_sub(1);
  // A waiter counts itself before it last tries take() under the mutex, and these are
  // sequentially consistent: either it sees this slot, or this sees it waiting. Taking the
  // mutex before notifying means it is already asleep and cannot miss the wake-up.
  if (waiting_.load() > 0) {
    { std::lock_guard lock(mutex_); }
    freed_.notify_one();
  }
}

std::optional<Bulkhead::Permit> Bulkhead::try_acquire(std::chrono::nanoseconds budget) {
  if (take()) return Permit{this};
  auto wait = std::min<std::chrono::nanoseconds>(config_.max_wait, budget);
  if (wait > std::chrono::nanoseconds::zero()) {
    auto deadline = std::chrono::steady_clock::now() + wait;
    std::unique_lock lock(mutex_);
    waiting_.fetch_add(1);
    bool taken = freed_.wait_until(lock, deadline, [this] { return take(); });
    waiting_.fetch_sub(1);
    if (taken) return Permit{this};
  }
  if (rejections_) rejections_->inc();
  return std::nullopt;
}

}  // namespace eskit::runtime::resilience
