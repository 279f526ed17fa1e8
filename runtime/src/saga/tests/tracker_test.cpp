// The choreography tracker on both backends, on the driver-call saga's shape: instances opened
// by their first event, moved by events that may arrive out of order, compensated by the
// confirmations of the completed steps, and sending nothing.
#include <gtest/gtest.h>

#include "eskit/runtime/db/retry.hpp"
#include "eskit/runtime/saga/store.hpp"
#include "eskit/runtime/saga/tracker.hpp"
#include "saga_fixture.hpp"

namespace eskit::runtime::saga {
namespace {

using namespace testing;
using Strings = std::vector<std::string>;

// examples/drivercall/model.yaml, saga CallDispatch (choreography, correlation callId).
SagaDefinition call_dispatch() {
  SagaDefinition saga;
  saga.name = "CallDispatch";
  saga.source = "caller";
  saga.steps = {
      {.name = "approvePayment",
       .command = "ApprovePayment",
       .completes_on = "PaymentApproved",
       .compensation = "DisablePayment",
       .compensated_on = "PaymentDisabled"},
      {.name = "payCall",
       .command = "PayCall",
       .completes_on = "CallPaid",
       .compensation = "DenyCall",
       .compensated_on = "CallDenied"},
      {.name = "receiveCall",
       .command = "ReceiveCall",
       .completes_on = "CallReceived",
       .fails_on = {"CatchDenied"},
       .pivot = true},
  };
  return saga;
}

class TrackerTest : public SagaTest {
 protected:
  void observe(ChoreographyTracker& tracker, const messaging::Envelope& event) {
    db::transact(db(), [&](db::UnitOfWork& uow) { tracker.handler()(uow, event); });
  }
  SagaState state(const std::string& id) {
    return SagaStore::find(db(), "CallDispatch", id)->state;
  }
};

TEST_P(TrackerTest, FollowsACompensatedCallAndSendsNothing) {
  ChoreographyTracker tracker(db(), call_dispatch());
  observe(tracker, reply("PaymentApproved", "call-1", R"({"paymentId":"p-1"})"));
  ASSERT_TRUE(SagaStore::find(db(), "CallDispatch", "call-1"));
  EXPECT_EQ(SagaStore::find(db(), "CallDispatch", "call-1")->step_name, "payCall");
  observe(tracker, reply("CallPaid", "call-1"));
  observe(tracker, reply("CatchDenied", "call-1"));
  EXPECT_EQ(state("call-1"), SagaState::compensating);
  EXPECT_EQ(SagaStore::find(db(), "CallDispatch", "call-1")->pending, (std::vector<int>{1, 0}));
  observe(tracker, reply("PaymentDisabled", "call-1"));
  EXPECT_EQ(state("call-1"), SagaState::compensating);
  observe(tracker, reply("CallDenied", "call-1"));
  const auto instance = SagaStore::find(db(), "CallDispatch", "call-1");
  EXPECT_EQ(instance->state, SagaState::compensated);
  EXPECT_EQ(instance->data, R"({"paymentId":"p-1"})");
  EXPECT_EQ(history_kinds(db(), "CallDispatch", "call-1"),
            (Strings{"started", "step_completed", "step_completed", "step_failed",
                     "compensation_confirmed", "compensation_confirmed", "compensated"}));
  EXPECT_TRUE(outbox(db()).empty()) << "a tracker sends nothing";
}

TEST_P(TrackerTest, LaterStepEventsMoveItOnAndStrayEventsOpenNothing) {
  ChoreographyTracker tracker(db(), call_dispatch());
  // Different contexts, different topics: the caller's CallPaid may overtake PaymentApproved.
  observe(tracker, reply("CallPaid", "call-2"));
  observe(tracker, reply("PaymentApproved", "call-2"));
  observe(tracker, reply("CallReceived", "call-2"));
  EXPECT_EQ(state("call-2"), SagaState::completed);
  const auto kinds = history_kinds(db(), "CallDispatch", "call-2");
  EXPECT_EQ(kinds,
            (Strings{"started", "step_completed", "ignored", "step_completed", "completed"}));

  observe(tracker, reply("PaymentDisabled", "call-3"));  // a confirmation with no saga
  observe(tracker, reply("Unrelated", "call-4"));
  EXPECT_FALSE(SagaStore::find(db(), "CallDispatch", "call-3"));
  EXPECT_FALSE(SagaStore::find(db(), "CallDispatch", "call-4"));
}

ESKIT_ON_BOTH_BACKENDS(TrackerTest);

}  // namespace
}  // namespace eskit::runtime::saga
