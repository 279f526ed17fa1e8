// The circuit breaker's cost per call in closed state (acquire, then record a success) and of a
// rejection in open state, next to the bare call, on the steady clock services use.
#include <chrono>
#include <cstdint>
#include <cstdio>

#include "eskit/runtime/resilience/circuit_breaker.hpp"

namespace {

using eskit::runtime::resilience::BreakerState;
using eskit::runtime::resilience::CircuitBreaker;
using eskit::runtime::resilience::CircuitBreakerConfig;

constexpr int kCalls = 5'000'000;

// Opaque to the optimizer, so the bare loop still makes every call.
[[gnu::noinline]] std::uint64_t work(std::uint64_t x) { return x * 0x9E37'79B9'7F4A'7C15 + 1; }

template <class Body>
double ns_per_call(Body&& body) {
  auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < kCalls; ++i) body(i);
  std::chrono::duration<double, std::nano> elapsed = std::chrono::steady_clock::now() - start;
  return elapsed.count() / kCalls;
}

}  // namespace

int main() {
  CircuitBreakerConfig config;
  config.window_size = 100;
  config.minimum_calls = 100;
  config.wait_in_open = std::chrono::hours{1};  // stays open while rejections are timed
  CircuitBreaker breaker{"bench", config};

  volatile std::uint64_t sink = 0;
  // Warm caches and the clock's vDSO page before measuring.
  ns_per_call([&](int i) { sink = work(static_cast<std::uint64_t>(i)); });

  double bare = ns_per_call([&](int i) { sink = work(static_cast<std::uint64_t>(i)); });
  // The breaker reads the clock twice per call (start, outcome) and once per rejection.
  double clock_read = ns_per_call([&](int) {
    sink = static_cast<std::uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count());
  });
  double closed = ns_per_call([&](int i) {
    auto permit = breaker.try_acquire();
    sink = work(static_cast<std::uint64_t>(i));
    permit->on_success();
  });
  while (breaker.state() == BreakerState::closed) breaker.try_acquire()->on_failure();
  double rejected = ns_per_call([&](int i) {
    auto permit = breaker.try_acquire();
    sink = permit ? 0 : work(static_cast<std::uint64_t>(i));
  });

  std::printf("circuit breaker, %d calls each (single thread)\n", kCalls);
  std::printf("  bare call                 %8.1f ns/call\n", bare);
  std::printf("  through a closed breaker  %8.1f ns/call  (%.1fx the bare call, +%.1f ns)\n",
              closed, closed / bare, closed - bare);
  std::printf("  rejected (open)           %8.1f ns/call\n", rejected);
  std::printf("  reference: steady_clock::now() %5.1f ns\n", clock_read);
  return 0;
}
