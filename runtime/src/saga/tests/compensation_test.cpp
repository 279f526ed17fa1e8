// Compensation on both backends: reverse order one confirmation at a time, or all at once in
// parallel; compensations nobody confirms are sent and not awaited; retriable steps past the
// pivot are retried, never compensated, and give up into `failed`.
#include <gtest/gtest.h>

#include "eskit/runtime/saga/orchestrator.hpp"
#include "eskit/runtime/saga/store.hpp"
#include "saga_fixture.hpp"

namespace eskit::runtime::saga {
namespace {

using namespace testing;
using Strings = std::vector<std::string>;

class CompensationTest : public SagaTest {
 protected:
  // Runs o-1 through reserve and charge; returns how many outbox rows that left.
  std::size_t through_charge(Orchestrator& orders) {
    EXPECT_TRUE(start(orders, db(), "o-1"));
    deliver(orders, db(), reply("StockReserved", "o-1"));
    deliver(orders, db(), reply("CardCharged", "o-1"));
    return outbox(db()).size();
  }
  SagaState state() { return SagaStore::find(db(), "PlaceOrder", "o-1")->state; }
};

TEST_P(CompensationTest, PivotFailureCompensatesCompletedStepsInReverseOrder) {
  Orchestrator orders(db(), order_saga(CompensationOrder::reverse));
  auto seen = through_charge(orders);
  const auto refused = reply("ShipmentRefused", "o-1");
  deliver(orders, db(), refused);
  const auto first = sent_since(db(), seen);
  ASSERT_EQ(types(first), Strings{"RefundCard"}) << "the last completed step is undone first";
  EXPECT_EQ(first[0].topic, "payment.commands") << "to the step's participant";
  EXPECT_EQ(first[0].causation_id, refused.event_id);
  EXPECT_EQ(state(), SagaState::compensating);

  // The earlier step's confirmation before its turn is not what the saga waits for.
  deliver(orders, db(), reply("StockReleased", "o-1"));
  EXPECT_TRUE(sent_since(db(), seen).empty());
  deliver(orders, db(), reply("CardRefunded", "o-1"));
  EXPECT_EQ(types(sent_since(db(), seen)), Strings{"ReleaseStock"});
  EXPECT_EQ(state(), SagaState::compensating);
  deliver(orders, db(), reply("StockReleased", "o-1"));
  EXPECT_TRUE(sent_since(db(), seen).empty());

  const auto instance = SagaStore::find(db(), "PlaceOrder", "o-1");
  EXPECT_EQ(instance->state, SagaState::compensated);
  EXPECT_EQ(instance->failure, "ShipmentRefused from participant");
  EXPECT_EQ(history_kinds(db(), "PlaceOrder", "o-1"),
            (Strings{"started", "command_sent", "step_completed", "command_sent", "step_completed",
                     "command_sent", "step_failed", "compensation_sent", "ignored",
                     "compensation_confirmed", "compensation_sent", "compensation_confirmed",
                     "compensated"}));
}

TEST_P(CompensationTest, ParallelCompensationSendsAllAtOnceAndWaitsForEach) {
  Orchestrator orders(db(), order_saga(CompensationOrder::parallel));
  auto seen = through_charge(orders);
  deliver(orders, db(), reply("ShipmentRefused", "o-1"));
  EXPECT_EQ(types(sent_since(db(), seen)), (Strings{"RefundCard", "ReleaseStock"}))
      << "both compensations in the failure's unit of work";
  // Confirmations in any order; a repeated one counts once.
  deliver(orders, db(), reply("StockReleased", "o-1"));
  deliver(orders, db(), reply("StockReleased", "o-1"));
  EXPECT_EQ(state(), SagaState::compensating);
  EXPECT_EQ(SagaStore::find(db(), "PlaceOrder", "o-1")->pending, std::vector<int>{1});
  deliver(orders, db(), reply("CardRefunded", "o-1"));
  EXPECT_EQ(state(), SagaState::compensated);
  EXPECT_TRUE(sent_since(db(), seen).empty());
}

TEST_P(CompensationTest, AFailedStepIsNotUndoneAndAFirstStepFailureUndoesNothing) {
  Orchestrator orders(db(), order_saga());
  ASSERT_TRUE(start(orders, db(), "o-1"));
  deliver(orders, db(), reply("StockReserved", "o-1"));
  std::size_t seen = outbox(db()).size();
  deliver(orders, db(), reply("CardDeclined", "o-1"));
  EXPECT_EQ(types(sent_since(db(), seen)), Strings{"ReleaseStock"})
      << "the declined charge is not refunded";

  ASSERT_TRUE(start(orders, db(), "o-2"));
  seen = outbox(db()).size();
  deliver(orders, db(), reply("OutOfStock", "o-2"));
  EXPECT_TRUE(sent_since(db(), seen).empty());
  EXPECT_EQ(SagaStore::find(db(), "PlaceOrder", "o-2")->state, SagaState::compensated);
}

TEST_P(CompensationTest, UnconfirmedCompensationsAreSentWithoutWaiting) {
  auto definition = order_saga();
  definition.steps[1].compensated_on.clear();  // RefundCard emits nothing the saga hears
  Orchestrator orders(db(), definition);
  auto seen = through_charge(orders);
  deliver(orders, db(), reply("ShipmentRefused", "o-1"));
  EXPECT_EQ(types(sent_since(db(), seen)), (Strings{"RefundCard", "ReleaseStock"}))
      << "the unconfirmed compensation does not hold up the next";
  deliver(orders, db(), reply("StockReleased", "o-1"));
  EXPECT_EQ(state(), SagaState::compensated);

  // Nothing confirmed at all: compensated in the failure's own unit of work.
  definition.steps[0].compensated_on.clear();
  definition.name = "PlaceOrderQuietly";
  Orchestrator quiet(db(), definition);
  ASSERT_TRUE(start(quiet, db(), "q-1"));
  deliver(quiet, db(), reply("StockReserved", "q-1"));
  deliver(quiet, db(), reply("CardCharged", "q-1"));
  deliver(quiet, db(), reply("ShipmentRefused", "q-1"));
  EXPECT_EQ(SagaStore::find(db(), "PlaceOrderQuietly", "q-1")->state, SagaState::compensated);
}

TEST_P(CompensationTest, RetriableStepPastThePivotIsRetriedThenFailsWithoutCompensation) {
  Orchestrator orders(db(), order_saga());
  auto seen = through_charge(orders);
  deliver(orders, db(), reply("OrderShipped", "o-1"));
  EXPECT_EQ(types(sent_since(db(), seen)), Strings{"NotifyCustomer"});
  deliver(orders, db(), reply("NotificationFailed", "o-1"));
  const auto retry = sent_since(db(), seen);
  ASSERT_EQ(types(retry), Strings{"NotifyCustomer"}) << "attempt 2 of 2";
  EXPECT_EQ(SagaStore::find(db(), "PlaceOrder", "o-1")->attempt, 2);
  deliver(orders, db(), reply("NotificationFailed", "o-1"));
  EXPECT_TRUE(sent_since(db(), seen).empty()) << "past the pivot nothing is compensated";
  const auto instance = SagaStore::find(db(), "PlaceOrder", "o-1");
  EXPECT_EQ(instance->state, SagaState::failed);
  EXPECT_NE(instance->history.back().detail.find("after the pivot gave up after 2 attempts"),
            std::string::npos)
      << instance->history.back().detail;
}

TEST_P(CompensationTest, ARetryThatSucceedsCompletes) {
  Orchestrator orders(db(), order_saga());
  through_charge(orders);
  deliver(orders, db(), reply("OrderShipped", "o-1"));
  deliver(orders, db(), reply("NotificationFailed", "o-1"));
  deliver(orders, db(), reply("CustomerNotified", "o-1"));
  EXPECT_EQ(state(), SagaState::completed);
}

ESKIT_ON_BOTH_BACKENDS(CompensationTest);

}  // namespace
}  // namespace eskit::runtime::saga
