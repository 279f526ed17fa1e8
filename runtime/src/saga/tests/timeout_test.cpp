// Step deadlines on both backends: a step past its deadline fails as timed out (and is undone
// itself, since its command may still be applied), a retriable one is sent again, a late reply
// changes nothing, and two replicas' timers time each step out exactly once. Deadlines are
// checked against an explicit `now`, so no test waits for a clock, except the StepTimer's,
// which waits on a condition with a deadline.
#include <gtest/gtest.h>

#include <thread>

#include "eskit/runtime/saga/orchestrator.hpp"
#include "eskit/runtime/saga/step_timer.hpp"
#include "eskit/runtime/saga/store.hpp"
#include "saga_fixture.hpp"

namespace eskit::runtime::saga {
namespace {

using namespace testing;
using namespace std::chrono_literals;
using Strings = std::vector<std::string>;

db::Timestamp now() {
  return std::chrono::floor<std::chrono::microseconds>(std::chrono::system_clock::now());
}

SagaDefinition timed_saga(std::chrono::milliseconds timeout = 1h) {
  auto saga = order_saga();
  for (auto& step : saga.steps) step.timeout = timeout;
  saga.steps[2].timeout = 0ms;  // the pivot has no compensation: it may not time out
  return saga;
}

class TimeoutTest : public SagaTest {};

TEST_P(TimeoutTest, AStepPastItsDeadlineIsUndoneWithTheStepsBeforeIt) {
  Orchestrator orders(db(), timed_saga());
  const auto before_start = now();
  ASSERT_TRUE(start(orders, db(), "o-1"));
  deliver(orders, db(), reply("StockReserved", "o-1"));
  const auto running = SagaStore::find(db(), "PlaceOrder", "o-1");
  ASSERT_TRUE(running->deadline);
  EXPECT_GE(*running->deadline, before_start + 1h);
  EXPECT_LE(*running->deadline, now() + 1h);

  std::size_t seen = outbox(db()).size();
  EXPECT_EQ(orders.expire_due(now()), 0u) << "not due for an hour";
  EXPECT_EQ(orders.expire_due(*running->deadline - 1us), 0u);
  EXPECT_EQ(orders.expire_due(*running->deadline), 1u);
  // The charge may still be applied (its command is on its way): it is refunded first, on the
  // same topic, so after it.
  const auto sent = sent_since(db(), seen);
  ASSERT_EQ(types(sent), Strings{"RefundCard"});
  EXPECT_EQ(sent[0].topic, "payment.commands");
  auto instance = SagaStore::find(db(), "PlaceOrder", "o-1");
  EXPECT_EQ(instance->state, SagaState::compensating);
  EXPECT_FALSE(instance->deadline);
  EXPECT_NE(instance->failure.find("step charge timed out after 3600000 ms"), std::string::npos)
      << instance->failure;
  EXPECT_EQ(orders.expire_due(*running->deadline + 2h), 0u) << "timed out once";

  // The charge's late completion is recorded and ignored; the compensation goes on.
  deliver(orders, db(), reply("CardCharged", "o-1"));
  EXPECT_TRUE(sent_since(db(), seen).empty());
  deliver(orders, db(), reply("CardRefunded", "o-1"));
  EXPECT_EQ(types(sent_since(db(), seen)), Strings{"ReleaseStock"});
  deliver(orders, db(), reply("StockReleased", "o-1"));
  instance = SagaStore::find(db(), "PlaceOrder", "o-1");
  EXPECT_EQ(instance->state, SagaState::compensated);
  const auto kinds = history_kinds(db(), "PlaceOrder", "o-1");
  EXPECT_NE(std::find(kinds.begin(), kinds.end(), "step_timed_out"), kinds.end());
  EXPECT_NE(std::find(kinds.begin(), kinds.end(), "ignored"), kinds.end());
}

TEST_P(TimeoutTest, ATimedOutRetriableStepIsSentAgainWithAFreshDeadline) {
  Orchestrator orders(db(), timed_saga());
  ASSERT_TRUE(start(orders, db(), "o-1"));
  deliver(orders, db(), reply("StockReserved", "o-1"));
  deliver(orders, db(), reply("CardCharged", "o-1"));
  deliver(orders, db(), reply("OrderShipped", "o-1"));
  std::size_t seen = outbox(db()).size();
  const auto first_deadline = *SagaStore::find(db(), "PlaceOrder", "o-1")->deadline;
  EXPECT_EQ(orders.expire_due(first_deadline + 1s), 1u);
  EXPECT_EQ(types(sent_since(db(), seen)), Strings{"NotifyCustomer"});
  auto instance = SagaStore::find(db(), "PlaceOrder", "o-1");
  EXPECT_EQ(instance->state, SagaState::running);
  EXPECT_EQ(instance->attempt, 2);
  ASSERT_TRUE(instance->deadline);
  EXPECT_GT(*instance->deadline, first_deadline);
  // The second attempt times out too: past the pivot, the saga fails rather than undo.
  EXPECT_EQ(orders.expire_due(*instance->deadline), 1u);
  EXPECT_TRUE(sent_since(db(), seen).empty());
  EXPECT_EQ(SagaStore::find(db(), "PlaceOrder", "o-1")->state, SagaState::failed);
}

TEST_P(TimeoutTest, TwoReplicasTimeEachStepOutOnce) {
  constexpr int instances = 20;
  const auto other_db = test_db().open();  // the second replica's own pool
  Orchestrator first(db(), timed_saga());
  Orchestrator second(other_db, timed_saga());
  for (int i = 0; i < instances; ++i) ASSERT_TRUE(start(first, db(), "o-" + std::to_string(i)));
  const auto seen = outbox(db()).size();
  const auto later = now() + 2h;
  std::size_t by_first = 0, by_second = 0;
  std::thread a([&] { by_first = first.expire_due(later); });
  std::thread b([&] { by_second = second.expire_due(later); });
  a.join();
  b.join();
  EXPECT_EQ(by_first + by_second, static_cast<std::size_t>(instances));
  for (int i = 0; i < instances; ++i) {
    const auto kinds = history_kinds(db(), "PlaceOrder", "o-" + std::to_string(i));
    EXPECT_EQ(std::count(kinds.begin(), kinds.end(), "step_timed_out"), 1) << "o-" << i;
    EXPECT_EQ(kinds.back(), "compensation_sent") << "o-" << i;
  }
  // Each timed-out reserve is released once.
  EXPECT_EQ(outbox(db()).size() - seen, static_cast<std::size_t>(instances));
}

TEST_P(TimeoutTest, TheStepTimerTimesStepsOutOnItsOwn) {
  Orchestrator orders(db(), timed_saga(200ms));
  std::atomic<int> rounds_with_timeouts{0};
  StepTimerOptions options;
  options.interval = 20ms;
  options.after_timeouts = [&] { ++rounds_with_timeouts; };
  StepTimer timer(orders, options);
  ASSERT_TRUE(start(orders, db(), "o-1"));
  timer.start();
  const auto deadline = std::chrono::steady_clock::now() + 20s;
  while (SagaStore::find(db(), "PlaceOrder", "o-1")->state != SagaState::compensating &&
         std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(10ms);
  timer.stop();
  const auto instance = SagaStore::find(db(), "PlaceOrder", "o-1");
  EXPECT_EQ(instance->state, SagaState::compensating) << "timed out by the timer";
  EXPECT_EQ(timer.timed_out(), 1u);
  EXPECT_EQ(rounds_with_timeouts.load(), 1);
  EXPECT_EQ(types(outbox(db())), (Strings{"ReserveStock", "ReleaseStock"}));
}

ESKIT_ON_BOTH_BACKENDS(TimeoutTest);

}  // namespace
}  // namespace eskit::runtime::saga
