// Every transition of the circuit breaker and every setting, on a ManualClock.
#include "eskit/runtime/resilience/circuit_breaker.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <latch>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <utility>
#include <vector>

#include "eskit/runtime/http/metrics.hpp"

namespace eskit::runtime::resilience {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using Transitions = std::vector<std::pair<BreakerState, BreakerState>>;

// Four calls decide; two trial calls; easy numbers to reason about.
CircuitBreakerConfig small() {
  CircuitBreakerConfig config;
  config.window_size = 4;
  config.minimum_calls = 4;
  config.failure_rate_threshold = 50;
  config.slow_call_rate_threshold = 100;
  config.slow_call_duration = seconds{1};
  config.wait_in_open = seconds{10};
  config.permitted_calls_in_half_open = 2;
  config.max_wait_in_half_open = seconds{30};
  return config;
}

class Breaker : public ::testing::Test {
 protected:
  void make(CircuitBreakerConfig config) {
    breaker = std::make_unique<CircuitBreaker>("payment", config, clock, &registry);
    breaker->on_state_change(
        [this](BreakerState from, BreakerState to) { transitions.emplace_back(from, to); });
  }
  void succeed(int times = 1) {
    for (int i = 0; i < times; ++i) {
      auto permit = breaker->try_acquire();
      ASSERT_TRUE(permit) << "rejected in " << to_string(breaker->state());
      permit->on_success();
    }
  }
  void fail(int times = 1) {
    for (int i = 0; i < times; ++i) {
      auto permit = breaker->try_acquire();
      ASSERT_TRUE(permit) << "rejected in " << to_string(breaker->state());
      permit->on_failure();
    }
  }
  void slow(int times = 1) {
    for (int i = 0; i < times; ++i) {
      auto permit = breaker->try_acquire();
      ASSERT_TRUE(permit) << "rejected in " << to_string(breaker->state());
      clock.advance(seconds{1});
      permit->on_success();
    }
  }
  void open_it() {
    fail(4);
    ASSERT_EQ(breaker->state(), BreakerState::open);
  }
  void half_open_it() {
    open_it();
    clock.advance(seconds{10});
  }
  double calls(std::string_view outcome) {
    return registry
        .counter("eskit_breaker_calls_total", "",
                 {{"breaker", "payment"}, {"outcome", std::string(outcome)}})
        .value();
  }

  ManualClock clock;
  http::MetricsRegistry registry;
  std::unique_ptr<CircuitBreaker> breaker;
  Transitions transitions;
};

TEST_F(Breaker, StartsClosedAndPermitsCalls) {
  make(small());
  EXPECT_EQ(breaker->state(), BreakerState::closed);
  succeed(10);
  EXPECT_EQ(breaker->state(), BreakerState::closed);
  EXPECT_EQ(breaker->snapshot().calls, 4);  // the window holds the last four
  EXPECT_EQ(calls("success"), 10);
}

TEST_F(Breaker, OpensAtTheFailureRateThreshold) {
  make(small());
  succeed(2);
  fail(1);
  EXPECT_EQ(breaker->state(), BreakerState::closed);  // three calls: below minimum_calls
  fail(1);                                            // 2 of 4 = 50 %
  EXPECT_EQ(breaker->state(), BreakerState::open);
  EXPECT_EQ(transitions, (Transitions{{BreakerState::closed, BreakerState::open}}));
}

TEST_F(Breaker, StaysClosedJustBelowTheFailureRateThreshold) {
  auto config = small();
  config.failure_rate_threshold = 50.1;
  make(config);
  succeed(2);
  fail(2);
  EXPECT_EQ(breaker->state(), BreakerState::closed);
}

TEST_F(Breaker, DoesNotOpenBeforeTheMinimumNumberOfCalls) {
  auto config = small();
  config.window_size = 10;
  config.minimum_calls = 5;
  make(config);
  fail(4);  // 100 % of four calls
  EXPECT_EQ(breaker->state(), BreakerState::closed);
  fail(1);
  EXPECT_EQ(breaker->state(), BreakerState::open);
}

TEST_F(Breaker, MinimumCallsIsCappedAtACountWindow) {
  auto config = small();
  config.window_size = 3;
  config.minimum_calls = 100;
  make(config);
  fail(3);
  EXPECT_EQ(breaker->state(), BreakerState::open);
}

TEST_F(Breaker, CountWindowJudgesOnlyTheLastCalls) {
  make(small());
  fail(1);
  succeed(4);  // the failure has left the window
  EXPECT_EQ(breaker->snapshot().failures, 0);
  fail(1);
  EXPECT_EQ(breaker->state(), BreakerState::closed);  // 1 of the last 4
  fail(1);                                            // 2 of the last 4; 3 of all 7 is 43 %
  EXPECT_EQ(breaker->state(), BreakerState::open);
}

TEST_F(Breaker, OpensAtTheSlowCallRateThreshold) {
  auto config = small();
  config.slow_call_rate_threshold = 50;
  make(config);
  succeed(2);
  slow(1);
  EXPECT_EQ(breaker->state(), BreakerState::closed);
  slow(1);
  EXPECT_EQ(breaker->state(), BreakerState::open);
  EXPECT_EQ(calls("slow"), 2);
  EXPECT_EQ(calls("success"), 2);
}

TEST_F(Breaker, ACallJustUnderTheSlowCallDurationIsNotSlow) {
  auto config = small();
  config.slow_call_rate_threshold = 50;
  make(config);
  for (int i = 0; i < 4; ++i) {
    auto permit = breaker->try_acquire();
    clock.advance(milliseconds{999});
    permit->on_success();
  }
  EXPECT_EQ(breaker->state(), BreakerState::closed);
  EXPECT_EQ(breaker->snapshot().slow_calls, 0);
}

TEST_F(Breaker, ExplicitDurationsDecideSlownessToo) {
  auto config = small();
  config.slow_call_rate_threshold = 100;
  make(config);
  for (int i = 0; i < 3; ++i) breaker->try_acquire()->on_success(seconds{2});
  breaker->try_acquire()->on_failure(seconds{1});   // slow and failed: counted as a failure
  EXPECT_EQ(breaker->state(), BreakerState::open);  // 4 of 4 slow
  EXPECT_EQ(calls("slow"), 3);
  EXPECT_EQ(calls("failure"), 1);
}

TEST_F(Breaker, OpensAfterMaxFailuresWhateverTheRate) {
  auto config = small();
  config.window_size = 100;
  config.minimum_calls = 100;
  config.max_failures = 3;
  make(config);
  succeed(20);
  fail(2);
  EXPECT_EQ(breaker->state(), BreakerState::closed);
  fail(1);  // 3 of 23 calls, far below minimum_calls and the rate
  EXPECT_EQ(breaker->state(), BreakerState::open);
}

TEST_F(Breaker, TimeWindowForgetsCallsOlderThanTheWindow) {
  auto config = small();
  config.window_kind = WindowKind::time_based;
  config.window_size = 10;  // seconds
  make(config);
  fail(3);
  clock.advance(seconds{10});
  EXPECT_EQ(breaker->snapshot().calls, 0);
  fail(1);  // would be the fourth failure if the first three were remembered
  EXPECT_EQ(breaker->state(), BreakerState::closed);
}

TEST_F(Breaker, TimeWindowJudgesEveryCallOfTheWindow) {
  auto config = small();
  config.window_kind = WindowKind::time_based;
  config.window_size = 10;
  config.minimum_calls = 6;  // more than a count window of four could hold
  make(config);
  succeed(3);
  clock.advance(seconds{9});
  fail(2);
  EXPECT_EQ(breaker->state(), BreakerState::closed);  // 5 calls: below the minimum
  fail(1);                                            // 3 of 6 = 50 %
  EXPECT_EQ(breaker->state(), BreakerState::open);
}

TEST_F(Breaker, RejectsWhileOpenAndCountsIt) {
  make(small());
  open_it();
  clock.advance(seconds{10} - std::chrono::nanoseconds{1});
  EXPECT_FALSE(breaker->try_acquire());
  EXPECT_FALSE(breaker->try_acquire());
  EXPECT_EQ(breaker->state(), BreakerState::open);
  EXPECT_EQ(breaker->snapshot().rejected, 2u);
  EXPECT_EQ(calls("rejected"), 2);
  EXPECT_EQ(breaker->retry_after(), std::chrono::nanoseconds{1});
}

TEST_F(Breaker, HalfOpensOnTheFirstCallAfterTheWait) {
  make(small());
  open_it();
  clock.advance(seconds{10});
  EXPECT_EQ(breaker->state(), BreakerState::open);  // time alone changes nothing
  auto permit = breaker->try_acquire();
  ASSERT_TRUE(permit);
  EXPECT_EQ(breaker->state(), BreakerState::half_open);
  EXPECT_EQ(transitions.back(), std::pair(BreakerState::open, BreakerState::half_open));
}

TEST_F(Breaker, HalfOpenPermitsExactlyTheTrialCalls) {
  make(small());
  half_open_it();
  auto first = breaker->try_acquire();
  auto second = breaker->try_acquire();
  ASSERT_TRUE(first);
  ASSERT_TRUE(second);
  EXPECT_FALSE(breaker->try_acquire());
  first->on_success();
  EXPECT_EQ(breaker->state(), BreakerState::half_open);  // waits for every trial
  EXPECT_FALSE(breaker->try_acquire());                  // a recorded trial does not free a slot
}

TEST_F(Breaker, ThreadsRacingAtTheSwitchGetExactlyThePermittedTrialCalls) {
  constexpr int kThreads = 16;
  auto config = small();
  config.permitted_calls_in_half_open = 5;
  make(config);
  for (int round = 0; round < 50; ++round) {
    breaker->reset();
    half_open_it();
    std::latch start{kThreads};
    std::atomic<int> granted{0};
    std::mutex held_mutex;
    std::vector<CircuitBreaker::Permit> held;  // kept, so no slot comes back during the race
    std::vector<std::thread> threads;
    for (int i = 0; i < kThreads; ++i) {
      threads.emplace_back([&] {
        start.arrive_and_wait();
        for (int attempt = 0; attempt < 3; ++attempt) {
          if (auto permit = breaker->try_acquire()) {
            granted.fetch_add(1);
            std::lock_guard lock(held_mutex);
            held.push_back(std::move(*permit));
          }
        }
      });
    }
    for (auto& thread : threads) thread.join();
    ASSERT_EQ(granted.load(), 5) << "round " << round;
    EXPECT_EQ(breaker->state(), BreakerState::half_open);
    for (auto& permit : held) permit.on_success();
    EXPECT_EQ(breaker->state(), BreakerState::closed);
  }
}

TEST_F(Breaker, ClosesWhenTheTrialCallsSucceed) {
  make(small());
  half_open_it();
  succeed(2);
  EXPECT_EQ(breaker->state(), BreakerState::closed);
  EXPECT_EQ(breaker->snapshot().calls, 0);  // a fresh window
  fail(3);
  EXPECT_EQ(breaker->state(), BreakerState::closed);
  EXPECT_EQ(transitions, (Transitions{{BreakerState::closed, BreakerState::open},
                                      {BreakerState::open, BreakerState::half_open},
                                      {BreakerState::half_open, BreakerState::closed}}));
}

TEST_F(Breaker, ReopensWhenTheTrialFailureRateReachesTheThreshold) {
  make(small());
  half_open_it();
  succeed(1);
  fail(1);  // 1 of 2 = 50 %
  EXPECT_EQ(breaker->state(), BreakerState::open);
  clock.advance(seconds{10} - milliseconds{1});
  EXPECT_FALSE(breaker->try_acquire());  // a full new wait
  clock.advance(milliseconds{1});
  EXPECT_TRUE(breaker->try_acquire());
}

TEST_F(Breaker, ReopensWhenTheTrialCallsAreSlow) {
  auto config = small();
  config.slow_call_rate_threshold = 50;
  make(config);
  half_open_it();
  slow(1);
  succeed(1);
  EXPECT_EQ(breaker->state(), BreakerState::open);
}

TEST_F(Breaker, ReopensAtMaxFailuresBeforeAllTrialsAreIn) {
  auto config = small();
  config.permitted_calls_in_half_open = 5;
  config.max_failures = 1;
  make(config);
  fail(1);
  ASSERT_EQ(breaker->state(), BreakerState::open);
  clock.advance(seconds{10});
  fail(1);
  EXPECT_EQ(transitions.back(), std::pair(BreakerState::half_open, BreakerState::open));
}

TEST_F(Breaker, WatchdogReopensWhenTrialCallsNeverReport) {
  auto config = small();
  config.permitted_calls_in_half_open = 1;
  make(config);
  half_open_it();
  auto lost = breaker->try_acquire();  // held forever: its outcome never comes
  ASSERT_TRUE(lost);
  clock.advance(seconds{30} - milliseconds{1});
  EXPECT_FALSE(breaker->try_acquire());
  EXPECT_EQ(breaker->state(), BreakerState::half_open);

  clock.advance(milliseconds{1});
  EXPECT_FALSE(breaker->try_acquire());
  EXPECT_EQ(breaker->state(), BreakerState::open);
  EXPECT_EQ(transitions.back(), std::pair(BreakerState::half_open, BreakerState::open));

  clock.advance(seconds{10});
  auto trial = breaker->try_acquire();
  ASSERT_TRUE(trial);  // a fresh half-open state with fresh permits
  lost->on_failure();  // late, from the half-open state before: judged by nobody
  EXPECT_EQ(breaker->state(), BreakerState::half_open);
  trial->on_success();
  EXPECT_EQ(breaker->state(), BreakerState::closed);
}

TEST_F(Breaker, WatchdogCanCloseInstead) {
  auto config = small();
  config.after_half_open_timeout = BreakerState::closed;
  make(config);
  half_open_it();
  auto lost = breaker->try_acquire();
  clock.advance(seconds{30});
  EXPECT_TRUE(breaker->try_acquire());
  EXPECT_EQ(breaker->state(), BreakerState::closed);
}

TEST_F(Breaker, APermitDroppedByAnExceptionGivesItsTrialSlotBack) {
  auto config = small();
  config.permitted_calls_in_half_open = 1;
  make(config);
  half_open_it();
  auto call_that_throws = [&] {
    auto permit = breaker->try_acquire();
    if (!permit) return;
    throw std::runtime_error("the call's code threw");
  };
  EXPECT_THROW(call_that_throws(), std::runtime_error);
  EXPECT_EQ(calls("ignored"), 1);
  EXPECT_EQ(breaker->state(), BreakerState::half_open);
  succeed(1);  // the slot is free again, and the one trial decides
  EXPECT_EQ(breaker->state(), BreakerState::closed);
}

TEST_F(Breaker, AnIgnoredPermitIsNotJudged) {
  make(small());
  for (int i = 0; i < 10; ++i) (void)breaker->try_acquire();
  EXPECT_EQ(breaker->snapshot().calls, 0);
  EXPECT_EQ(calls("ignored"), 10);
}

TEST_F(Breaker, OnlyTheFirstOutcomeOfAPermitCounts) {
  make(small());
  auto permit = breaker->try_acquire();
  permit->on_failure();
  permit->on_success();
  permit->on_failure();
  EXPECT_EQ(breaker->snapshot().calls, 1);
  EXPECT_EQ(breaker->snapshot().failures, 1);
}

TEST_F(Breaker, AMovedPermitRecordsOnceAndTheOldOneNothing) {
  auto config = small();
  config.permitted_calls_in_half_open = 1;
  make(config);
  half_open_it();
  auto permit = breaker->try_acquire();
  ASSERT_TRUE(permit);
  auto moved = std::move(*permit);
  permit.reset();  // the moved-from permit releases nothing
  EXPECT_EQ(calls("ignored"), 0);
  EXPECT_FALSE(breaker->try_acquire());
  moved.on_success();
  EXPECT_EQ(breaker->state(), BreakerState::closed);
}

TEST_F(Breaker, MoveAssignmentReleasesThePermitItReplaces) {
  auto config = small();
  config.permitted_calls_in_half_open = 1;
  make(config);
  auto closed_permit = breaker->try_acquire();
  half_open_it();
  auto trial = breaker->try_acquire();
  ASSERT_TRUE(trial);
  *trial = std::move(*closed_permit);  // the trial is dropped without an outcome
  EXPECT_TRUE(breaker->try_acquire());
}

TEST_F(Breaker, AnOutcomeFromBeforeTheBreakerOpenedIsNotATrial) {
  make(small());
  auto early = breaker->try_acquire();  // started while closed
  half_open_it();
  auto trial = breaker->try_acquire();
  ASSERT_EQ(breaker->state(), BreakerState::half_open);
  early->on_failure();  // arrives during half-open
  EXPECT_EQ(breaker->state(), BreakerState::half_open);
  EXPECT_EQ(breaker->snapshot().calls, 0);
  EXPECT_EQ(calls("failure"), 5);  // still counted in the metrics
}

TEST_F(Breaker, ForcedOpenRejectsEverythingUntilReset) {
  make(small());
  breaker->transition_to_forced_open();
  EXPECT_EQ(breaker->state(), BreakerState::forced_open);
  clock.advance(std::chrono::hours{1});
  EXPECT_FALSE(breaker->try_acquire());
  EXPECT_EQ(breaker->state(), BreakerState::forced_open);
  EXPECT_EQ(breaker->retry_after(), seconds{10});
  breaker->reset();
  EXPECT_EQ(breaker->state(), BreakerState::closed);
  EXPECT_TRUE(breaker->try_acquire());
}

TEST_F(Breaker, DisabledPermitsEverythingAndRecordsNothing) {
  make(small());
  breaker->disable();
  fail(50);
  { auto dropped = breaker->try_acquire(); }
  EXPECT_EQ(breaker->state(), BreakerState::disabled);
  EXPECT_EQ(breaker->snapshot().calls, 0);
  EXPECT_EQ(calls("failure"), 0);
  EXPECT_EQ(calls("ignored"), 0);
}

TEST_F(Breaker, MetricsOnlyRecordsButNeverOpens) {
  make(small());
  breaker->metrics_only();
  fail(50);
  EXPECT_EQ(breaker->state(), BreakerState::metrics_only);
  auto snapshot = breaker->snapshot();
  EXPECT_EQ(snapshot.calls, 4);
  EXPECT_EQ(snapshot.failures, 4);
  EXPECT_EQ(calls("failure"), 50);
}

TEST_F(Breaker, ResetClosesWithAnEmptyWindowFromAnyState) {
  make(small());
  open_it();
  breaker->reset();
  EXPECT_EQ(breaker->state(), BreakerState::closed);
  fail(3);  // the four failures before the reset are forgotten
  EXPECT_EQ(breaker->state(), BreakerState::closed);

  breaker->reset();
  half_open_it();
  (void)breaker->try_acquire();
  breaker->reset();
  EXPECT_EQ(breaker->state(), BreakerState::closed);
  breaker->metrics_only();
  breaker->reset();
  EXPECT_EQ(breaker->state(), BreakerState::closed);
}

TEST_F(Breaker, ExportsStateCallsAndTransitions) {
  make(small());
  open_it();
  (void)breaker->try_acquire();
  auto text = registry.render();
  EXPECT_NE(text.find("eskit_breaker_state{breaker=\"payment\",state=\"open\"} 1\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("eskit_breaker_state{breaker=\"payment\",state=\"closed\"} 0\n"),
            std::string::npos);
  EXPECT_NE(text.find("eskit_breaker_state{breaker=\"payment\",state=\"metrics_only\"} 0\n"),
            std::string::npos);
  EXPECT_NE(text.find("eskit_breaker_calls_total{breaker=\"payment\",outcome=\"failure\"} 4\n"),
            std::string::npos);
  EXPECT_NE(text.find("eskit_breaker_calls_total{breaker=\"payment\",outcome=\"rejected\"} 1\n"),
            std::string::npos);
  EXPECT_NE(text.find("eskit_breaker_transitions_total{breaker=\"payment\"} 1\n"),
            std::string::npos);
}

TEST_F(Breaker, WorksWithoutARegistry) {
  CircuitBreaker plain{"plain", small(), clock};
  for (int i = 0; i < 4; ++i) plain.try_acquire()->on_failure();
  EXPECT_EQ(plain.state(), BreakerState::open);
  EXPECT_FALSE(plain.try_acquire());
  EXPECT_EQ(plain.snapshot().rejected, 1u);
}

TEST(BreakerState, HasItsMetricsName) {
  EXPECT_EQ(to_string(BreakerState::closed), "closed");
  EXPECT_EQ(to_string(BreakerState::open), "open");
  EXPECT_EQ(to_string(BreakerState::half_open), "half_open");
  EXPECT_EQ(to_string(BreakerState::forced_open), "forced_open");
  EXPECT_EQ(to_string(BreakerState::disabled), "disabled");
  EXPECT_EQ(to_string(BreakerState::metrics_only), "metrics_only");
}

TEST(BreakerConfig, RejectsEverySettingOutOfRange) {
  auto rejects = [](auto change) {
    auto config = small();
    change(config);
    EXPECT_THROW(validate(config), std::invalid_argument);
    EXPECT_THROW(CircuitBreaker("x", config), std::invalid_argument);
  };
  rejects([](CircuitBreakerConfig& c) { c.window_size = 0; });
  rejects([](CircuitBreakerConfig& c) { c.minimum_calls = 0; });
  rejects([](CircuitBreakerConfig& c) { c.failure_rate_threshold = 0; });
  rejects([](CircuitBreakerConfig& c) { c.failure_rate_threshold = 100.5; });
  rejects([](CircuitBreakerConfig& c) { c.slow_call_rate_threshold = 0; });
  rejects([](CircuitBreakerConfig& c) { c.slow_call_rate_threshold = 101; });
  rejects([](CircuitBreakerConfig& c) { c.slow_call_duration = milliseconds{0}; });
  rejects([](CircuitBreakerConfig& c) { c.wait_in_open = milliseconds{0}; });
  rejects([](CircuitBreakerConfig& c) { c.permitted_calls_in_half_open = 0; });
  rejects([](CircuitBreakerConfig& c) { c.permitted_calls_in_half_open = 1 << 24; });
  rejects([](CircuitBreakerConfig& c) { c.max_failures = 0; });
  rejects([](CircuitBreakerConfig& c) { c.max_wait_in_half_open = milliseconds{0}; });
  rejects([](CircuitBreakerConfig& c) { c.after_half_open_timeout = BreakerState::half_open; });
  EXPECT_NO_THROW(validate(small()));
  EXPECT_NO_THROW(validate(CircuitBreakerConfig{}));
}

}  // namespace
}  // namespace eskit::runtime::resilience
