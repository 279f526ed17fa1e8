// The circuit breaker's cost per call in closed state (acquire, then record a success) and of a
// rejection in open state, as ratios against a bare call measured in the same run, on the
// steady clock services use. Each figure is the median of several rounds, interleaved, so a
// neighbour's burst on a shared machine moves one round of every figure rather than all rounds
// of one.
#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <vector>

#include "eskit/runtime/resilience/circuit_breaker.hpp"

namespace {

using eskit::runtime::resilience::BreakerState;
using eskit::runtime::resilience::CircuitBreaker;
using eskit::runtime::resilience::CircuitBreakerConfig;

constexpr int kCalls = 2'000'000;
constexpr int kRounds = 5;

// Opaque to the optimizer, so the bare loop still makes every call.
[[gnu::noinline]] std::uint64_t work(std::uint64_t x) { return x * 0x9E37'79B9'7F4A'7C15 + 1; }

template <class Body>
double ns_per_call(Body&& body) {
  auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < kCalls; ++i) body(i);
  std::chrono::duration<double, std::nano> elapsed = std::chrono::steady_clock::now() - start;
  return elapsed.count() / kCalls;
}

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

}  // namespace

int main() {
  CircuitBreakerConfig config;
  config.window_size = 100;
  config.minimum_calls = 100;
  config.wait_in_open = std::chrono::hours{1};  // stays open while rejections are timed
  CircuitBreaker closed_breaker{"bench-closed", config};
  CircuitBreaker open_breaker{"bench-open", config};
  while (open_breaker.state() == BreakerState::closed) open_breaker.try_acquire()->on_failure();

  volatile std::uint64_t sink = 0;
  auto bare_call = [&](int i) { sink = work(static_cast<std::uint64_t>(i)); };
  // The breaker reads the clock twice per call (start, outcome) and once per rejection.
  auto clock_read = [&](int) {
    sink = static_cast<std::uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count());
  };
  auto through_closed = [&](int i) {
    auto permit = closed_breaker.try_acquire();
    sink = work(static_cast<std::uint64_t>(i));
    permit->on_success();
  };
  auto rejected_call = [&](int i) {
    auto permit = open_breaker.try_acquire();
    sink = permit ? work(static_cast<std::uint64_t>(i)) : 0;
  };

  // Warm caches and the clock's vDSO page before measuring.
  ns_per_call(bare_call);
  ns_per_call(through_closed);

  std::array<std::vector<double>, 4> rounds;
  for (int round = 0; round < kRounds; ++round) {
    rounds[0].push_back(ns_per_call(bare_call));
    rounds[1].push_back(ns_per_call(clock_read));
    rounds[2].push_back(ns_per_call(through_closed));
    rounds[3].push_back(ns_per_call(rejected_call));
  }
  double bare = median(rounds[0]);
  double clock_ns = median(rounds[1]);
  double closed = median(rounds[2]);
  double rejected = median(rounds[3]);

  std::printf("circuit breaker, single thread: median of %d rounds of %d calls\n", kRounds, kCalls);
  std::printf("  reference: bare call            %8.1f ns/call\n", bare);
  std::printf("  reference: steady_clock::now()  %8.1f ns\n", clock_ns);
  std::printf(
      "  through a closed breaker        %8.1f ns/call  %6.1fx the bare call, overhead %.1f ns "
      "(%.1f clock reads)\n",
      closed, closed / bare, closed - bare, (closed - bare) / clock_ns);
  std::printf("  rejected by an open breaker     %8.1f ns/call  %6.1fx the bare call\n", rejected,
              rejected / bare);
  return 0;
}
