// The breaker's windows: the last N calls, or the calls of the last N seconds.
#include "sliding_window.hpp"

#include <gtest/gtest.h>

namespace eskit::runtime::resilience::detail {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

TEST(SlidingWindow, CountBasedKeepsTheLastCalls) {
  ManualClock clock;
  SlidingWindow window{WindowKind::count_based, 3};
  window.record(clock.now(), true, true);
  window.record(clock.now(), false, false);
  window.record(clock.now(), false, true);
  auto full = window.totals(clock.now());
  EXPECT_EQ(full.calls, 3);
  EXPECT_EQ(full.failures, 1);
  EXPECT_EQ(full.slow_calls, 2);

  window.record(clock.now(), false, false);  // pushes out the slow failure
  auto next = window.totals(clock.now());
  EXPECT_EQ(next.calls, 3);
  EXPECT_EQ(next.failures, 0);
  EXPECT_EQ(next.slow_calls, 1);
}

TEST(SlidingWindow, CountBasedForgetsNothingByTime) {
  ManualClock clock;
  SlidingWindow window{WindowKind::count_based, 3};
  window.record(clock.now(), true, false);
  clock.advance(std::chrono::hours{24});
  EXPECT_EQ(window.totals(clock.now()).failures, 1);
}

TEST(SlidingWindow, TimeBasedForgetsSecondsThatLeftTheWindow) {
  ManualClock clock;  // starts on a whole second
  SlidingWindow window{WindowKind::time_based, 10};
  window.record(clock.now(), true, false);
  clock.advance(seconds{4});
  window.record(clock.now(), false, true);
  window.record(clock.now(), false, false);

  clock.advance(seconds{5} + milliseconds{999});  // 9.999 s after the first call
  auto both = window.totals(clock.now());
  EXPECT_EQ(both.calls, 3);
  EXPECT_EQ(both.failures, 1);

  clock.advance(milliseconds{1});  // the first call's second has left
  auto later = window.totals(clock.now());
  EXPECT_EQ(later.calls, 2);
  EXPECT_EQ(later.failures, 0);
  EXPECT_EQ(later.slow_calls, 1);

  clock.advance(seconds{4});
  EXPECT_EQ(window.totals(clock.now()).calls, 0);
}

TEST(SlidingWindow, TimeBasedReusesABucketAfterALongIdleSpell) {
  ManualClock clock;
  SlidingWindow window{WindowKind::time_based, 5};
  window.record(clock.now(), true, false);
  clock.advance(std::chrono::hours{1});  // the same bucket index comes round again
  window.record(clock.now(), false, false);
  auto totals = window.totals(clock.now());
  EXPECT_EQ(totals.calls, 1);
  EXPECT_EQ(totals.failures, 0);
}

TEST(SlidingWindow, TimeBasedIgnoresACallReadBeforeTheWindow) {
  ManualClock clock;
  SlidingWindow window{WindowKind::time_based, 2};
  auto early = clock.now();
  clock.advance(seconds{3});
  window.record(clock.now(), false, false);
  window.record(early, true, false);  // a clock read that lost the race for the lock
  auto totals = window.totals(clock.now());
  EXPECT_EQ(totals.calls, 1);
  EXPECT_EQ(totals.failures, 0);
}

TEST(SlidingWindow, ClearForgetsEverything) {
  ManualClock clock;
  SlidingWindow window{WindowKind::count_based, 2};
  window.record(clock.now(), true, true);
  window.clear();
  auto totals = window.totals(clock.now());
  EXPECT_EQ(totals.calls, 0);
  window.record(clock.now(), false, false);
  window.record(clock.now(), false, false);
  EXPECT_EQ(window.totals(clock.now()).calls, 2);
}

}  // namespace
}  // namespace eskit::runtime::resilience::detail
