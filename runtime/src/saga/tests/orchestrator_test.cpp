// The orchestrator's happy path on both backends: start in the caller's unit of work (or not at
// all), one command per step through the outbox, replies merged into the saga's data, and every
// event the instance does not expect recorded and ignored.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <atomic>
#include <thread>

#include "eskit/runtime/saga/orchestrator.hpp"
#include "eskit/runtime/saga/store.hpp"
#include "saga_fixture.hpp"

namespace eskit::runtime::saga {
namespace {

using namespace testing;
using Strings = std::vector<std::string>;

class OrchestratorTest : public SagaTest {};

TEST_P(OrchestratorTest, StartCommitsOrRollsBackWithTheCallersUnitOfWork) {
  Orchestrator orders(db(), order_saga());
  {
    auto uow = db().begin();
    ASSERT_TRUE(orders.start(uow, "o-1", R"({"orderId":"o-1","amount":30})"));
    uow.rollback();
  }
  EXPECT_FALSE(SagaStore::find(db(), "PlaceOrder", "o-1")) << "rolled back with the caller";
  EXPECT_TRUE(outbox(db()).empty()) << "a rolled-back start sent a command";

  ASSERT_TRUE(start(orders, db(), "o-1", R"({"orderId":"o-1","amount":30})"));
  const auto instance = SagaStore::find(db(), "PlaceOrder", "o-1");
  ASSERT_TRUE(instance);
  EXPECT_EQ(instance->state, SagaState::running);
  EXPECT_EQ(instance->step_name, "reserve");
  EXPECT_EQ(instance->attempt, 1);
  EXPECT_FALSE(instance->deadline) << "the step has no timeout";
  const auto sent = outbox(db());
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].type, "ReserveStock");
  EXPECT_EQ(sent[0].topic, "stock.commands");
  EXPECT_EQ(sent[0].aggregate_id, "o-1") << "keyed by the correlation id";
  EXPECT_EQ(sent[0].correlation_id, "o-1");
  EXPECT_EQ(boost::json::parse(sent[0].payload),
            boost::json::parse(R"({"orderId":"o-1","amount":30})"));
  EXPECT_EQ(history_kinds(db(), "PlaceOrder", "o-1"), (Strings{"started", "command_sent"}));
}

TEST_P(OrchestratorTest, StartIsIdempotentPerCorrelationIdAndChecksItsInput) {
  Orchestrator orders(db(), order_saga());
  ASSERT_TRUE(start(orders, db(), "o-1"));
  EXPECT_FALSE(start(orders, db(), "o-1", R"({"other":true})"));
  EXPECT_EQ(outbox(db()).size(), 1u) << "a second start sent its command again";
  EXPECT_EQ(SagaStore::find(db(), "PlaceOrder", "o-1")->data, "{}") << "the first start's data";

  auto uow = db().begin();
  EXPECT_THROW(orders.start(uow, "", "{}"), std::invalid_argument);
  try {
    orders.start(uow, "o-2", "[1,2]");
    ADD_FAILURE() << "data that is not an object was accepted";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("data must be a JSON object"), std::string::npos)
        << e.what();
  }
}

TEST_P(OrchestratorTest, RacingStartsOfOneInstanceStartItOnce) {
  // Two replicas receive the same request: both may find no instance before either inserts.
  const auto other_db = test_db().open();
  Orchestrator first(db(), order_saga());
  Orchestrator second(other_db, order_saga());
  constexpr int instances = 20;
  std::atomic<int> started{0};
  auto run = [&](Orchestrator& orchestrator, const db::Database& database) {
    for (int i = 0; i < instances; ++i)
      started += start(orchestrator, database, "o-" + std::to_string(i)) ? 1 : 0;
  };
  std::thread a([&] { run(first, db()); });
  std::thread b([&] { run(second, other_db); });
  a.join();
  b.join();
  EXPECT_EQ(started.load(), instances);
  EXPECT_EQ(outbox(db()).size(), static_cast<std::size_t>(instances)) << "one command each";
  for (int i = 0; i < instances; ++i)
    EXPECT_EQ(history_kinds(db(), "PlaceOrder", "o-" + std::to_string(i)),
              (Strings{"started", "command_sent"}))
        << "o-" << i;
}

TEST_P(OrchestratorTest, EachCompletionSendsTheNextCommandUntilCompleted) {
  Orchestrator orders(db(), order_saga());
  std::size_t seen = 0;
  ASSERT_TRUE(start(orders, db(), "o-1", R"({"orderId":"o-1"})"));
  const auto first = sent_since(db(), seen);
  ASSERT_EQ(types(first), Strings{"ReserveStock"});

  const auto reserved =
      reply("StockReserved", "o-1", R"({"reservation":"r-9"})", first[0].event_id);
  deliver(orders, db(), reserved);
  const auto second = sent_since(db(), seen);
  ASSERT_EQ(types(second), Strings{"ChargeCard"});
  EXPECT_EQ(second[0].causation_id, reserved.event_id) << "the command names the event it follows";
  EXPECT_EQ(boost::json::parse(second[0].payload),
            boost::json::parse(R"({"orderId":"o-1","reservation":"r-9"})"))
      << "the reply's fields joined the saga's data";

  deliver(orders, db(), reply("CardCharged", "o-1"));
  EXPECT_EQ(types(sent_since(db(), seen)), Strings{"ShipOrder"});
  deliver(orders, db(), reply("OrderShipped", "o-1"));
  EXPECT_EQ(types(sent_since(db(), seen)), Strings{"NotifyCustomer"});
  deliver(orders, db(), reply("CustomerNotified", "o-1"));
  EXPECT_TRUE(sent_since(db(), seen).empty()) << "nothing follows the last step";

  const auto instance = SagaStore::find(db(), "PlaceOrder", "o-1");
  ASSERT_TRUE(instance);
  EXPECT_EQ(instance->state, SagaState::completed);
  EXPECT_EQ(instance->version, 5) << "one update per transition";
  EXPECT_EQ(
      history_kinds(db(), "PlaceOrder", "o-1"),
      (Strings{"started", "command_sent", "step_completed", "command_sent", "step_completed",
               "command_sent", "step_completed", "command_sent", "step_completed", "completed"}));
}

TEST_P(OrchestratorTest, UnexpectedEventsAreRecordedAndChangeNothing) {
  Orchestrator orders(db(), order_saga());
  std::size_t seen = 0;
  ASSERT_TRUE(start(orders, db(), "o-1"));
  deliver(orders, db(), reply("StockReserved", "o-1"));
  sent_since(db(), seen);
  const auto before = SagaStore::find(db(), "PlaceOrder", "o-1");

  // A second StockReserved (another event id: a participant's bug, or a replayed topic) and a
  // confirmation nobody asked for arrive while the saga waits for the charge.
  deliver(orders, db(), reply("StockReserved", "o-1"));
  deliver(orders, db(), reply("StockReleased", "o-1"));
  // Events the saga does not know, and events for no instance of it, leave no trace at all.
  deliver(orders, db(), reply("SomethingElse", "o-1"));
  deliver(orders, db(), reply("CardCharged", "o-unknown"));
  deliver(orders, db(), reply("CardCharged", ""));

  EXPECT_TRUE(sent_since(db(), seen).empty()) << "an unexpected event sent a command";
  auto after = SagaStore::find(db(), "PlaceOrder", "o-1");
  ASSERT_TRUE(after);
  EXPECT_EQ(after->state, SagaState::running);
  EXPECT_EQ(after->step_name, "charge");
  ASSERT_EQ(after->history.size(), before->history.size() + 2);
  for (std::size_t i = before->history.size(); i < after->history.size(); ++i) {
    EXPECT_EQ(after->history[i].kind, "ignored");
    EXPECT_NE(after->history[i].detail.find("not expected while running at step charge"),
              std::string::npos)
        << after->history[i].detail;
  }
  EXPECT_FALSE(SagaStore::find(db(), "PlaceOrder", "o-unknown"));

  // A finished instance ignores everything, its own last event included.
  deliver(orders, db(), reply("CardCharged", "o-1"));
  deliver(orders, db(), reply("OrderShipped", "o-1"));
  deliver(orders, db(), reply("CustomerNotified", "o-1"));
  sent_since(db(), seen);
  deliver(orders, db(), reply("CustomerNotified", "o-1"));
  EXPECT_TRUE(sent_since(db(), seen).empty());
  after = SagaStore::find(db(), "PlaceOrder", "o-1");
  EXPECT_EQ(after->state, SagaState::completed);
  EXPECT_EQ(after->history.back().kind, "ignored");
  EXPECT_NE(after->history.back().detail.find("not expected while completed"), std::string::npos);
}

ESKIT_ON_BOTH_BACKENDS(OrchestratorTest);

}  // namespace
}  // namespace eskit::runtime::saga
