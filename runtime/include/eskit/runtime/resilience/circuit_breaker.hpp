#pragma once
// A circuit breaker with Resilience4j's states and settings, plus what its users ask for: an
// absolute failure rule, a half-open watchdog, permits that cannot leak, exactly the permitted
// number of trial calls, and an injectable clock.
//
//   auto permit = breaker.try_acquire();
//   if (!permit) return fallback();        // rejected: lock-free, no allocation
//   auto result = call();
//   failed(result) ? permit->on_failure() : permit->on_success();
//   // a permit destroyed without an outcome (an exception) is released as "ignored"
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "eskit/runtime/resilience/clock.hpp"

namespace eskit::runtime::http {
class MetricsRegistry;
}

namespace eskit::runtime::resilience {

enum class BreakerState : std::uint8_t {
  closed,        // calls pass, outcomes are judged
  open,          // calls are rejected until the wait in open has passed
  half_open,     // a fixed number of trial calls decide between closed and open
  forced_open,   // rejects everything until reset()
  disabled,      // permits everything and records nothing until reset()
  metrics_only,  // permits everything and records outcomes, but never opens, until reset()
};

[[nodiscard]] std::string_view to_string(BreakerState state) noexcept;

enum class WindowKind : std::uint8_t {
  count_based,  // the last window_size calls
  time_based,   // the calls of the last window_size seconds
};

struct CircuitBreakerConfig {
  WindowKind window_kind = WindowKind::count_based;
  int window_size = 20;
  // Rates are judged only once the window holds this many calls (at most window_size when
  // count based).
  int minimum_calls = 10;
  double failure_rate_threshold = 50;                    // percent: open at or above
  double slow_call_rate_threshold = 100;                 // percent: open at or above
  std::chrono::milliseconds slow_call_duration{60'000};  // a call this long or longer is slow
  std::chrono::milliseconds wait_in_open{5'000};
  int permitted_calls_in_half_open = 3;
  // Open after this many failures in the window, whatever their rate and minimum_calls.
  std::optional<int> max_failures;
  // The watchdog: half-open longer than this (trial calls lost or never made) moves to
  // after_half_open_timeout, so the breaker can never stay stuck half-open.
  std::chrono::milliseconds max_wait_in_half_open{60'000};
  BreakerState after_half_open_timeout = BreakerState::open;  // open or closed
};

// Throws std::invalid_argument naming the first setting out of range.
void validate(const CircuitBreakerConfig& config);

class CircuitBreaker {
 public:
  class Permit;
  using StateListener = std::function<void(BreakerState from, BreakerState to)>;

  // The window of the current state (the trial calls when half-open).
  struct Snapshot {
    BreakerState state;
    int calls;
    int failures;
    int slow_calls;
    std::uint64_t rejected;  // since construction
  };

  // `clock` and `metrics` must outlive the breaker. With a registry it exports, labelled
  // breaker="<name>": eskit_breaker_state{state}, eskit_breaker_calls_total{outcome},
  // eskit_breaker_transitions_total.
  CircuitBreaker(const std::string& name, CircuitBreakerConfig config,
                 Clock& clock = Clock::system(), http::MetricsRegistry* metrics = nullptr);
  ~CircuitBreaker();
  CircuitBreaker(const CircuitBreaker&) = delete;
  CircuitBreaker& operator=(const CircuitBreaker&) = delete;

  // A permit, or nothing when the call must not be made. Applies the transitions that are
  // due by time: open → half-open once wait_in_open has passed, and the half-open watchdog.
  [[nodiscard]] std::optional<Permit> try_acquire();

  [[nodiscard]] BreakerState state() const noexcept;
  [[nodiscard]] Snapshot snapshot() const;
  // How long a rejected caller should wait before trying again: a hint for Retry-After.
  [[nodiscard]] Clock::duration retry_after() const noexcept;

  void transition_to_forced_open();
  void disable();
  void metrics_only();
  // Back to closed with an empty window, from any state.
  void reset();

  // Called after each transition, outside the breaker's lock; transitions made concurrently
  // on several threads may be reported in either order. An exception it throws reaches the
  // call that caused the transition.
  void on_state_change(StateListener listener);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The right to make one call. Record its outcome once; destroyed without one (the call's code
// threw) it is released as "ignored", which gives a half-open trial slot back.
class CircuitBreaker::Permit {
 public:
  Permit(Permit&& other) noexcept;
  Permit& operator=(Permit&& other) noexcept;
  Permit(const Permit&) = delete;
  Permit& operator=(const Permit&) = delete;
  ~Permit();

  // Measured on the breaker's clock since try_acquire(); only the first outcome counts.
  void on_success();
  void on_failure();
  // For callers that measured the call themselves.
  void on_success(Clock::duration elapsed);
  void on_failure(Clock::duration elapsed);

 private:
  friend class CircuitBreaker;
  Permit(CircuitBreaker* breaker, std::uint32_t generation, BreakerState state,
         Clock::time_point start) noexcept
      : breaker_(breaker), generation_(generation), state_(state), start_(start) {}
  void record(std::optional<Clock::duration> elapsed, bool failed);

  CircuitBreaker* breaker_;  // null once used or moved from
  std::uint32_t generation_;
  BreakerState state_;
  Clock::time_point start_;
};

}  // namespace eskit::runtime::resilience
