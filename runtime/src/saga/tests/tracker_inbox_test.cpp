// The choreography tracker behind a real inbox on the embedded broker: the contexts' events,
// one of them delivered twice (a relay republishing after a crash), are recorded once each.
#include <gtest/gtest.h>

#include <atomic>

#include "eskit/runtime/kafka/producer.hpp"
#include "eskit/runtime/messaging/inbox_consumer.hpp"
#include "eskit/runtime/saga/store.hpp"
#include "eskit/runtime/saga/tracker.hpp"
#include "saga_fixture.hpp"
#include "test_support.hpp"

namespace eskit::runtime::saga {
namespace {

using namespace testing;
using namespace kafka::testing;
using Strings = std::vector<std::string>;

void publish(const std::string& topic, const std::vector<messaging::Envelope>& events) {
  std::atomic<int> failed{0};
  kafka::Producer producer(client_options(shared_broker().bootstrap_servers()),
                           [&](const kafka::DeliveryReport& r) { failed += r.ok() ? 0 : 1; });
  for (const auto& event : events) {
    auto wire = messaging::encode(event);
    producer.produce({topic, wire.key, wire.body, wire.headers, 0});
  }
  ASSERT_TRUE(producer.flush(Clock::now() + 10s));
  ASSERT_EQ(failed.load(), 0);
}

TEST(TrackerInbox, ARedeliveredEventIsRecordedOnce) {
  db::testing::TestDatabase test_db(db::Backend::sqlite, "tracker_inbox");
  auto database = test_db.open();
  migrate(database);
  SagaDefinition saga;
  saga.name = "CallDispatch";
  saga.source = "caller";
  saga.steps = {{.name = "approvePayment",
                 .command = "ApprovePayment",
                 .completes_on = "PaymentApproved",
                 .compensation = "DisablePayment",
                 .compensated_on = "PaymentDisabled"},
                {.name = "receiveCall",
                 .command = "ReceiveCall",
                 .completes_on = "CallReceived",
                 .fails_on = {"CatchDenied"},
                 .pivot = true}};
  ChoreographyTracker tracker(database, saga);

  const auto topic = unique_name("drivercall.events");
  shared_broker().create_topic({topic, 1});
  const auto approved = reply("PaymentApproved", "call-1");
  publish(topic,
          {approved, approved, reply("CatchDenied", "call-1"), reply("PaymentDisabled", "call-1")});

  messaging::InboxOptions options;
  options.consumer_name = "call-dispatch-tracker";
  messaging::InboxConsumer inbox(
      database, consumer_options(shared_broker().bootstrap_servers(), unique_name("tracker")),
      {topic}, tracker.handler(), options);
  inbox.start();
  ASSERT_TRUE(
      wait_until(Clock::now() + 30s, [&] { return inbox.handled() + inbox.duplicates() == 4; }))
      << inbox.handled() << " handled, " << inbox.duplicates() << " duplicates";
  inbox.stop();

  EXPECT_EQ(inbox.duplicates(), 1u);
  const auto instance = SagaStore::find(database, "CallDispatch", "call-1");
  ASSERT_TRUE(instance);
  EXPECT_EQ(instance->state, SagaState::compensated);
  EXPECT_EQ(history_kinds(database, "CallDispatch", "call-1"),
            (Strings{"started", "step_completed", "step_failed", "compensation_confirmed",
                     "compensated"}))
      << "the second PaymentApproved left no trace";
}

}  // namespace
}  // namespace eskit::runtime::saga
