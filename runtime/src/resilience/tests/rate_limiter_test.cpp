// The rate limiter: bursts up to the limit, refills at the sustained rate, waits on the clock.
#include "eskit/runtime/resilience/rate_limiter.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <latch>
#include <stdexcept>
#include <thread>
#include <vector>

#include "eskit/runtime/http/metrics.hpp"

namespace eskit::runtime::resilience {
namespace {

using std::chrono::milliseconds;
using Durations = std::vector<Clock::duration>;

RateLimiterConfig five_per_second(milliseconds max_wait = milliseconds{0}) {
  return {.limit_for_period = 5, .period = milliseconds{1'000}, .max_wait = max_wait};
}

int acquired(RateLimiter& limiter, int tries) {
  int granted = 0;
  for (int i = 0; i < tries; ++i) granted += limiter.acquire() ? 1 : 0;
  return granted;
}

TEST(RateLimiter, LetsABurstOfTheLimitThroughThenRejects) {
  ManualClock clock;
  http::MetricsRegistry registry;
  RateLimiter limiter{"pay", five_per_second(), clock, &registry};
  EXPECT_EQ(acquired(limiter, 7), 5);
  EXPECT_EQ(registry.counter("eskit_rate_limiter_rejections_total", "", {{"rate_limiter", "pay"}})
                .value(),
            2);
  EXPECT_TRUE(clock.sleeps().empty());
}

TEST(RateLimiter, RefillsAtTheSustainedRate) {
  ManualClock clock;
  RateLimiter limiter{"pay", five_per_second(), clock};
  ASSERT_EQ(acquired(limiter, 5), 5);
  clock.advance(milliseconds{199});
  EXPECT_FALSE(limiter.acquire());
  clock.advance(milliseconds{1});  // one interval: 1 s / 5
  EXPECT_TRUE(limiter.acquire());
  EXPECT_FALSE(limiter.acquire());
}

TEST(RateLimiter, AQuietSpellNeverSavesUpMoreThanTheLimit) {
  ManualClock clock;
  RateLimiter limiter{"pay", five_per_second(), clock};
  clock.advance(std::chrono::hours{1});
  EXPECT_EQ(acquired(limiter, 20), 5);
}

TEST(RateLimiter, WaitsOnTheClockForItsTurnWithinMaxWait) {
  ManualClock clock;
  RateLimiter limiter{"pay", five_per_second(milliseconds{400}), clock};
  ASSERT_EQ(acquired(limiter, 5), 5);
  EXPECT_TRUE(limiter.acquire());  // waits 200 ms
  EXPECT_TRUE(limiter.acquire());  // its turn comes 200 ms after the previous one
  EXPECT_EQ(clock.sleeps(), (Durations{milliseconds{200}, milliseconds{200}}));
}

TEST(RateLimiter, RejectsWithoutWaitingWhenTheTurnIsBeyondMaxWait) {
  ManualClock clock;
  RateLimiter limiter{"pay", five_per_second(milliseconds{199}), clock};
  ASSERT_EQ(acquired(limiter, 5), 5);
  EXPECT_FALSE(limiter.acquire());
  EXPECT_TRUE(clock.sleeps().empty());
}

TEST(RateLimiter, TheCallersBudgetShortensTheWait) {
  ManualClock clock;
  RateLimiter limiter{"pay", five_per_second(milliseconds{10'000}), clock};
  ASSERT_EQ(acquired(limiter, 5), 5);
  EXPECT_FALSE(limiter.acquire(milliseconds{100}));
  EXPECT_TRUE(limiter.acquire(milliseconds{200}));
}

TEST(RateLimiter, ConcurrentCallersShareTheLimitExactly) {
  constexpr int kThreads = 8;
  ManualClock clock;  // frozen: no refill during the race
  RateLimiter limiter{"pay", {.limit_for_period = 50, .period = milliseconds{1'000}}, clock};
  std::atomic<int> granted{0};
  std::latch start{kThreads};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      start.arrive_and_wait();
      for (int i = 0; i < 100; ++i) granted += limiter.acquire() ? 1 : 0;
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(granted.load(), 50);
}

TEST(RateLimiterConfig, RejectsEverySettingOutOfRange) {
  EXPECT_THROW(validate(RateLimiterConfig{.limit_for_period = 0}), std::invalid_argument);
  EXPECT_THROW(validate(RateLimiterConfig{.period = milliseconds{0}}), std::invalid_argument);
  EXPECT_THROW(validate(RateLimiterConfig{.max_wait = milliseconds{-1}}), std::invalid_argument);
  EXPECT_THROW(RateLimiter("x", {.limit_for_period = 0}), std::invalid_argument);
  EXPECT_NO_THROW(validate(RateLimiterConfig{}));
}

}  // namespace
}  // namespace eskit::runtime::resilience
