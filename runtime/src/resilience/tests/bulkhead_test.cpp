// The bulkhead: a bounded number of calls in flight, with an optional wait for a slot.
#include "eskit/runtime/resilience/bulkhead.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <latch>
#include <stdexcept>
#include <thread>
#include <vector>

#include "eskit/runtime/http/metrics.hpp"

namespace eskit::runtime::resilience {
namespace {

using std::chrono::milliseconds;

// Polls a condition another thread will make true, giving up at a deadline.
template <class Condition>
bool eventually(Condition condition, milliseconds timeout = milliseconds{5'000}) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!condition()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::yield();
  }
  return true;
}

TEST(Bulkhead, RejectsAtOnceWhenFull) {
  http::MetricsRegistry registry;
  Bulkhead bulkhead{"pay", {.max_concurrent_calls = 2}, &registry};
  auto a = bulkhead.try_acquire();
  auto b = bulkhead.try_acquire();
  ASSERT_TRUE(a);
  ASSERT_TRUE(b);
  EXPECT_EQ(bulkhead.in_flight(), 2);
  EXPECT_FALSE(bulkhead.try_acquire());
  EXPECT_EQ(registry.counter("eskit_bulkhead_rejections_total", "", {{"bulkhead", "pay"}}).value(),
            1);
  a.reset();
  EXPECT_EQ(bulkhead.in_flight(), 1);
  EXPECT_TRUE(bulkhead.try_acquire());
}

TEST(Bulkhead, AMovedPermitReleasesOnce) {
  Bulkhead bulkhead{"pay", {.max_concurrent_calls = 1}};
  {
    auto permit = bulkhead.try_acquire();
    auto moved = std::move(*permit);
    permit.reset();
    EXPECT_EQ(bulkhead.in_flight(), 1);
  }
  EXPECT_EQ(bulkhead.in_flight(), 0);
}

TEST(Bulkhead, AWaitingCallGetsTheNextFreeSlot) {
  Bulkhead bulkhead{"pay", {.max_concurrent_calls = 1, .max_wait = milliseconds{10'000}}};
  auto held = bulkhead.try_acquire();
  std::atomic<bool> got{false};
  std::thread waiter([&] { got = bulkhead.try_acquire().has_value(); });
  ASSERT_TRUE(eventually([&] { return bulkhead.waiting() == 1; }));
  held.reset();
  waiter.join();
  EXPECT_TRUE(got);
  EXPECT_EQ(bulkhead.waiting(), 0);
}

TEST(Bulkhead, GivesUpAfterMaxWait) {
  Bulkhead bulkhead{"pay", {.max_concurrent_calls = 1, .max_wait = milliseconds{50}}};
  auto held = bulkhead.try_acquire();
  auto start = std::chrono::steady_clock::now();
  EXPECT_FALSE(bulkhead.try_acquire());
  EXPECT_GE(std::chrono::steady_clock::now() - start, milliseconds{50});
}

TEST(Bulkhead, TheCallersBudgetShortensTheWait) {
  Bulkhead bulkhead{"pay", {.max_concurrent_calls = 1, .max_wait = milliseconds{60'000}}};
  auto held = bulkhead.try_acquire();
  auto start = std::chrono::steady_clock::now();
  EXPECT_FALSE(bulkhead.try_acquire(std::chrono::nanoseconds::zero()));
  EXPECT_FALSE(bulkhead.try_acquire(milliseconds{20}));
  EXPECT_LT(std::chrono::steady_clock::now() - start, milliseconds{30'000});
}

TEST(Bulkhead, NeverLetsMoreThanTheLimitInUnderContention) {
  constexpr int kThreads = 8;
  Bulkhead bulkhead{"pay", {.max_concurrent_calls = 3, .max_wait = milliseconds{10'000}}};
  std::atomic<int> inside{0};
  std::atomic<int> most{0};
  std::atomic<int> rejected{0};
  std::latch start{kThreads};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      start.arrive_and_wait();
      for (int i = 0; i < 2'000; ++i) {
        auto permit = bulkhead.try_acquire();
        if (!permit) {
          rejected.fetch_add(1);
          continue;
        }
        auto now = inside.fetch_add(1) + 1;
        auto seen = most.load();
        while (now > seen && !most.compare_exchange_weak(seen, now)) {
        }
        inside.fetch_sub(1);
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_LE(most.load(), 3);
  EXPECT_EQ(rejected.load(), 0);  // every waiter got its turn within the wait
  EXPECT_EQ(bulkhead.in_flight(), 0);
}

TEST(BulkheadConfig, RejectsEverySettingOutOfRange) {
  EXPECT_THROW(validate(BulkheadConfig{.max_concurrent_calls = 0}), std::invalid_argument);
  EXPECT_THROW(validate(BulkheadConfig{.max_wait = milliseconds{-1}}), std::invalid_argument);
  EXPECT_THROW(Bulkhead("x", {.max_concurrent_calls = 0}), std::invalid_argument);
  EXPECT_NO_THROW(validate(BulkheadConfig{}));
}

}  // namespace
}  // namespace eskit::runtime::resilience
