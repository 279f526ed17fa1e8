#pragma once
// Retry with exponential backoff and jitter inside one deadline: each attempt gets an equal
// share of the time left, and no retry starts that the deadline would cut short.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>

#include "eskit/runtime/resilience/clock.hpp"

namespace eskit::runtime::http {
class Counter;
class MetricsRegistry;
}  // namespace eskit::runtime::http

namespace eskit::runtime::resilience {

enum class Jitter : std::uint8_t {
  none,          // exactly the exponential delay
  full,          // uniform in [0, exponential delay]
  decorrelated,  // uniform in [initial, previous delay × multiplier], capped (AWS uses × 3)
};

struct RetryPolicy {
  int max_attempts = 1;  // the first call included: 1 never retries
  std::chrono::milliseconds initial_backoff{100};
  double multiplier = 2.0;
  std::chrono::milliseconds max_backoff{2'000};
  Jitter jitter = Jitter::full;
};

// Throws std::invalid_argument naming the first setting out of range.
void validate(const RetryPolicy& policy);

// The delays before the retries of one call. Deterministic for a seed.
class Backoff {
 public:
  Backoff(const RetryPolicy& policy, std::uint64_t seed) noexcept;
  // The delay before the next retry.
  [[nodiscard]] Clock::duration next() noexcept;

 private:
  [[nodiscard]] double uniform(double low, double high) noexcept;

  double initial_;
  double multiplier_;
  double cap_;
  Jitter jitter_;
  double exponential_;  // the un-jittered delay of the next retry, in nanoseconds
  double previous_;     // decorrelated: the delay chosen last
  std::uint64_t state_;
};

class Retry {
 public:
  // `clock` sleeps the delays; a seed makes the jitter reproducible. With a registry it counts
  // eskit_retry_attempts_total{retry="<name>"}: the attempts after the first.
  Retry(const std::string& name, RetryPolicy policy, Clock& clock = Clock::system(),
        http::MetricsRegistry* metrics = nullptr, std::optional<std::uint64_t> seed = {});

  // Calls `attempt(budget)` until `retryable(result)` is false, the attempts run out, or the
  // deadline leaves too little time for another one; returns the last result.
  template <class Attempt, class Retryable>
  auto run(Clock::time_point deadline, Attempt&& attempt, Retryable&& retryable)
      -> std::invoke_result_t<Attempt&, Clock::duration> {
    Backoff backoff(policy_, next_seed());
    for (int made = 1;; ++made) {
      auto result = attempt(budget(deadline, made));
      if (made >= policy_.max_attempts || !retryable(std::as_const(result))) return result;
      if (!wait_for_retry(backoff, deadline)) return result;
    }
  }

 private:
  // The time left divided among the attempts still allowed, so a slow first attempt cannot
  // use up the time of the retries.
  [[nodiscard]] Clock::duration budget(Clock::time_point deadline, int attempt) const noexcept;
  // False when the deadline would pass before the next attempt could start.
  bool wait_for_retry(Backoff& backoff, Clock::time_point deadline);
  [[nodiscard]] std::uint64_t next_seed() noexcept;

  RetryPolicy policy_;
  Clock& clock_;
  http::Counter* retries_ = nullptr;
  std::atomic<std::uint64_t> seed_;
};

}  // namespace eskit::runtime::resilience
