#include "eskit/runtime/resilience/retry.hpp"

#include <algorithm>
#include <cmath>
#include <random>
#include <stdexcept>

#include "eskit/runtime/http/metrics.hpp"

namespace eskit::runtime::resilience {
namespace {

// The HTTP client's timeouts have millisecond resolution: an attempt with less than that
// would time out before it is sent.
constexpr Clock::duration kShortestAttempt = std::chrono::milliseconds{1};

// SplitMix64: a small, fast generator whose whole state is one word, so a Backoff costs
// nothing to create per call.
std::uint64_t splitmix(std::uint64_t& state) noexcept {
  std::uint64_t z = (state += 0x9E37'79B9'7F4A'7C15);
  z = (z ^ (z >> 30)) * 0xBF58'476D'1CE4'E5B9;
  z = (z ^ (z >> 27)) * 0x94D0'49BB'1331'11EB;
  return z ^ (z >> 31);
}

double nanos(std::chrono::milliseconds d) {
  return static_cast<double>(std::chrono::nanoseconds{d}.count());
}

}  // namespace

void validate(const RetryPolicy& policy) {
  auto fail = [](const char* message) { throw std::invalid_argument(message); };
  if (policy.max_attempts < 1) fail("max_attempts must be at least 1");
  if (policy.initial_backoff < std::chrono::milliseconds::zero())
    fail("initial_backoff must not be negative");
  if (!(policy.multiplier >= 1)) fail("multiplier must be at least 1");
  if (policy.max_backoff < policy.initial_backoff)
    fail("max_backoff must not be less than initial_backoff");
}

Backoff::Backoff(const RetryPolicy& policy, std::uint64_t seed) noexcept
    : initial_(nanos(policy.initial_backoff)),
      multiplier_(policy.multiplier),
      cap_(nanos(policy.max_backoff)),
      jitter_(policy.jitter),
      exponential_(initial_),
      previous_(initial_),
      state_(seed) {}

double Backoff::uniform(double low, double high) noexcept {
  auto unit = static_cast<double>(splitmix(state_) >> 11) * 0x1.0p-53;  // [0, 1)
  return low + unit * (high - low);
}

Clock::duration Backoff::next() noexcept {
  double delay = exponential_;
  if (jitter_ == Jitter::full) {
    delay = uniform(0, exponential_);
  } else if (jitter_ == Jitter::decorrelated) {
    // Rounded before it becomes the next range's base, so each delay stays within its range.
    delay = std::round(std::min(cap_, uniform(initial_, previous_ * multiplier_)));
    previous_ = delay;
  }
  exponential_ = std::min(cap_, exponential_ * multiplier_);
  return Clock::duration{std::llround(delay)};
}

Retry::Retry(const std::string& name, RetryPolicy policy, Clock& clock,
             http::MetricsRegistry* metrics, std::optional<std::uint64_t> seed)
    : policy_(std::move(policy)), clock_(clock), seed_(seed ? *seed : std::random_device{}()) {
  validate(policy_);
  if (metrics) {
    retries_ = &metrics->counter("eskit_retry_attempts_total",
                                 "Calls made again after a retryable failure.", {{"retry", name}});
  }
}

Clock::duration Retry::budget(Clock::time_point deadline, int attempt) const noexcept {
  auto left = std::max(deadline - clock_.now(), Clock::duration::zero());
  return left / (policy_.max_attempts - attempt + 1);
}

bool Retry::wait_for_retry(Backoff& backoff, Clock::time_point deadline) {
  auto delay = backoff.next();
  if (clock_.now() + delay + kShortestAttempt > deadline) return false;
  clock_.sleep_for(delay);
  if (retries_) retries_->inc();
  return true;
}

std::uint64_t Retry::next_seed() noexcept {
  auto base = seed_.fetch_add(1, std::memory_order_relaxed);
  return splitmix(base);
}

}  // namespace eskit::runtime::resilience
