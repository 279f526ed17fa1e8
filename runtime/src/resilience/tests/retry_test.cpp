// Retry: attempts, the backoff sequence, jitter bounds, what stops it, and the deadline.
#include "eskit/runtime/resilience/retry.hpp"

#include <gtest/gtest.h>

#include <set>
#include <stdexcept>
#include <vector>

#include "eskit/runtime/http/metrics.hpp"

namespace eskit::runtime::resilience {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using Durations = std::vector<Clock::duration>;

RetryPolicy exponential(int attempts, Jitter jitter = Jitter::none) {
  RetryPolicy policy;
  policy.max_attempts = attempts;
  policy.initial_backoff = milliseconds{100};
  policy.multiplier = 2;
  policy.max_backoff = milliseconds{500};
  policy.jitter = jitter;
  return policy;
}

TEST(Retry, StopsAtTheFirstSuccess) {
  ManualClock clock;
  Retry retry{"pay", exponential(5), clock};
  int made = 0;
  bool ok = retry.run(
      clock.now() + seconds{10}, [&](Clock::duration) { return ++made == 3; },
      [](bool success) { return !success; });
  EXPECT_TRUE(ok);
  EXPECT_EQ(made, 3);
  EXPECT_EQ(clock.sleeps(), (Durations{milliseconds{100}, milliseconds{200}}));
}

TEST(Retry, MakesAtMostMaxAttemptsWithACappedExponentialBackoff) {
  ManualClock clock;
  http::MetricsRegistry registry;
  Retry retry{"pay", exponential(6), clock, &registry};
  int made = 0;
  bool ok = retry.run(
      clock.now() + seconds{10}, [&](Clock::duration) { return ++made < 0; },
      [](bool success) { return !success; });
  EXPECT_FALSE(ok);
  EXPECT_EQ(made, 6);
  EXPECT_EQ(clock.sleeps(), (Durations{milliseconds{100}, milliseconds{200}, milliseconds{400},
                                       milliseconds{500}, milliseconds{500}}));
  EXPECT_EQ(registry.counter("eskit_retry_attempts_total", "", {{"retry", "pay"}}).value(), 5);
}

TEST(Retry, OneAttemptNeverRetries) {
  ManualClock clock;
  Retry retry{"pay", RetryPolicy{}, clock};
  int made = 0;
  retry.run(
      clock.now() + seconds{10}, [&](Clock::duration) { return ++made < 0; },
      [](bool) { return true; });
  EXPECT_EQ(made, 1);
  EXPECT_TRUE(clock.sleeps().empty());
}

TEST(Retry, ANonRetryableOutcomeStopsAtOnce) {
  ManualClock clock;
  Retry retry{"pay", exponential(5), clock};
  int made = 0;
  int result = retry.run(
      clock.now() + seconds{10}, [&](Clock::duration) { return ++made == 1 ? 503 : 400; },
      [](int status) { return status == 503; });
  EXPECT_EQ(result, 400);
  EXPECT_EQ(made, 2);
}

TEST(Retry, TheDeadlineStopsRetries) {
  ManualClock clock;
  Retry retry{"pay", exponential(10), clock};
  auto deadline = clock.now() + milliseconds{1'000};
  int made = 0;
  retry.run(
      deadline,
      [&](Clock::duration) {
        ++made;
        clock.advance(milliseconds{50});  // each attempt fails after 50 ms
        return false;
      },
      [](bool success) { return !success; });
  // 50 +100 +50 +200 +50 +400 +50 = 900 ms; the next 500 ms backoff would pass the deadline.
  EXPECT_EQ(made, 4);
  EXPECT_EQ(clock.sleeps(), (Durations{milliseconds{100}, milliseconds{200}, milliseconds{400}}));
  EXPECT_LE(clock.now(), deadline);
}

TEST(Retry, NoRetryStartsWithLessThanAMillisecondLeft) {
  ManualClock clock;
  auto policy = exponential(3);
  policy.initial_backoff = milliseconds{0};
  Retry retry{"pay", policy, clock};
  auto deadline = clock.now() + milliseconds{10};
  int made = 0;
  retry.run(
      deadline,
      [&](Clock::duration) {
        ++made;
        clock.advance(milliseconds{9} + std::chrono::microseconds{500});
        return false;
      },
      [](bool success) { return !success; });
  EXPECT_EQ(made, 1);
}

TEST(Retry, EachAttemptGetsAnEqualShareOfTheTimeLeft) {
  ManualClock clock;
  auto policy = exponential(3);
  policy.initial_backoff = milliseconds{0};
  Retry retry{"pay", policy, clock};
  Durations budgets;
  retry.run(
      clock.now() + milliseconds{900},
      [&](Clock::duration budget) {
        budgets.push_back(budget);
        clock.advance(milliseconds{100});  // fails fast: the rest goes to the later attempts
        return false;
      },
      [](bool success) { return !success; });
  EXPECT_EQ(budgets, (Durations{milliseconds{300}, milliseconds{400}, milliseconds{700}}));
}

TEST(Retry, AttemptsAfterThePassedDeadlineGetNoBudget) {
  ManualClock clock;
  Retry retry{"pay", RetryPolicy{}, clock};
  Clock::duration given{-1};
  retry.run(
      clock.now() - seconds{1}, [&](Clock::duration budget) { return given = budget; },
      [](Clock::duration) { return false; });
  EXPECT_EQ(given, Clock::duration::zero());
}

TEST(Backoff, FullJitterStaysBetweenZeroAndTheExponentialDelay) {
  auto policy = exponential(10, Jitter::full);
  std::set<Clock::duration::rep> seen;
  for (std::uint64_t seed = 0; seed < 100; ++seed) {
    Backoff backoff{policy, seed};
    double ceiling = 100;
    for (int i = 0; i < 8; ++i) {
      auto delay = backoff.next();
      EXPECT_GE(delay, Clock::duration::zero());
      std::chrono::duration<double, std::milli> most{ceiling};
      EXPECT_LE(delay, most);
      seen.insert(delay.count());
      ceiling = std::min(ceiling * 2, 500.0);
    }
  }
  EXPECT_GT(seen.size(), 700u);  // actually random, not one fixed fraction
}

TEST(Backoff, DecorrelatedJitterStaysBetweenTheInitialDelayAndThePreviousTimesTheMultiplier) {
  auto policy = exponential(10, Jitter::decorrelated);
  for (std::uint64_t seed = 0; seed < 100; ++seed) {
    Backoff backoff{policy, seed};
    Clock::duration previous = milliseconds{100};
    for (int i = 0; i < 8; ++i) {
      auto delay = backoff.next();
      EXPECT_GE(delay, milliseconds{100});
      auto ceiling = std::min<Clock::duration>(previous * 2, milliseconds{500});
      EXPECT_LE(delay, ceiling);
      previous = delay;
    }
  }
}

TEST(Backoff, TheSameSeedGivesTheSameDelays) {
  auto policy = exponential(10, Jitter::full);
  Backoff a{policy, 42};
  Backoff b{policy, 42};
  Backoff c{policy, 43};
  Durations first;
  Durations second;
  Durations other;
  for (int i = 0; i < 5; ++i) {
    first.push_back(a.next());
    second.push_back(b.next());
    other.push_back(c.next());
  }
  EXPECT_EQ(first, second);
  EXPECT_NE(first, other);
}

TEST(Backoff, AMultiplierOfOneKeepsTheDelayConstant) {
  auto policy = exponential(10);
  policy.multiplier = 1;
  Backoff backoff{policy, 0};
  for (int i = 0; i < 4; ++i) EXPECT_EQ(backoff.next(), milliseconds{100});
}

TEST(Retry, ASeededRetryIsReproducible) {
  auto delays = [](std::uint64_t seed) {
    ManualClock clock;
    Retry retry{"pay", exponential(4, Jitter::full), clock, nullptr, seed};
    retry.run(
        clock.now() + seconds{10}, [](Clock::duration) { return false; },
        [](bool success) { return !success; });
    return clock.sleeps();
  };
  EXPECT_EQ(delays(7), delays(7));
  EXPECT_EQ(delays(7).size(), 3u);
}

TEST(RetryPolicy, RejectsEverySettingOutOfRange) {
  auto rejects = [](auto change) {
    auto policy = exponential(3);
    change(policy);
    EXPECT_THROW(validate(policy), std::invalid_argument);
    EXPECT_THROW(Retry("x", policy), std::invalid_argument);
  };
  rejects([](RetryPolicy& p) { p.max_attempts = 0; });
  rejects([](RetryPolicy& p) { p.initial_backoff = milliseconds{-1}; });
  rejects([](RetryPolicy& p) { p.multiplier = 0.5; });
  rejects([](RetryPolicy& p) { p.max_backoff = milliseconds{99}; });
  EXPECT_NO_THROW(validate(RetryPolicy{}));
}

}  // namespace
}  // namespace eskit::runtime::resilience
