// The participant helper on both backends: the reply joins the command's unit of work with its
// correlation and cause, and an orchestrator and its participants driven by hand (each outbox
// row handed to the other side, as relay and inbox would) run the whole protocol.
#include <gtest/gtest.h>

#include "eskit/runtime/db/retry.hpp"
#include "eskit/runtime/saga/orchestrator.hpp"
#include "eskit/runtime/saga/participant.hpp"
#include "eskit/runtime/saga/store.hpp"
#include "saga_fixture.hpp"

namespace eskit::runtime::saga {
namespace {

using namespace testing;
using Strings = std::vector<std::string>;

class ParticipantTest : public SagaTest {};

TEST_P(ParticipantTest, ReplyCommitsWithTheCommandsWritesOrNotAtAll) {
  Participant stock("stock", "stock.events");
  stock.on("ReserveStock", [](db::UnitOfWork& uow, const messaging::Envelope& command) {
    uow.execute("insert into applied (correlation_id, command) values (:c, :t)",
                command.correlation_id, command.event_type);
    if (command.payload.find("\"explode\"") != std::string::npos)
      throw std::runtime_error("no stock today");
    return Reply{"StockReserved", R"({"reservation":"r-1"})"};
  });
  EXPECT_EQ(stock.command_types(), std::set<std::string>{"ReserveStock"});
  const auto command =
      messaging::Envelope::make("ReserveStock", "ordering", "o-1", "{}", "o-1", "cause-1");
  db::transact(db(), [&](db::UnitOfWork& uow) { stock.handler()(uow, command); });
  const auto sent = outbox(db());
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].type, "StockReserved");
  EXPECT_EQ(sent[0].topic, "stock.events");
  EXPECT_EQ(sent[0].aggregate_id, "o-1");
  EXPECT_EQ(sent[0].correlation_id, "o-1");
  EXPECT_EQ(sent[0].causation_id, command.event_id) << "the reply names its command";

  const auto exploding =
      messaging::Envelope::make("ReserveStock", "ordering", "o-2", R"({"explode":1})", "o-2");
  EXPECT_THROW(db::transact(db(), [&](db::UnitOfWork& uow) { stock.handle(uow, exploding); }),
               std::runtime_error);
  EXPECT_EQ(outbox(db()).size(), 1u) << "a failed handler left a reply";

  auto uow = db().begin();
  try {
    stock.handle(uow, messaging::Envelope::make("Teleport", "ordering", "o-3", "{}", "o-3"));
    ADD_FAILURE() << "an unknown command was handled";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("no handler for command 'Teleport'"), std::string::npos)
        << e.what();
  }
  EXPECT_THROW(stock.on("ReserveStock",
                        [](db::UnitOfWork&, const messaging::Envelope&) { return Reply{"X"}; }),
               std::invalid_argument);
}

TEST_P(ParticipantTest, OrchestratorAndParticipantsRunTheProtocolByHand) {
  // One database stands for all contexts; the hand-over below plays relay and inbox, keeping
  // an inbox of its own so a redelivered row is dropped as the real one would.
  Orchestrator orders(db(), order_saga());
  std::map<std::string, Participant> participants;
  auto participant = [&](const std::string& context) -> Participant& {
    return participants.try_emplace(context, context, context + ".events").first->second;
  };
  auto applying = [](std::string event) {
    return [event](db::UnitOfWork& uow, const messaging::Envelope& command) {
      uow.execute("insert into applied (correlation_id, command) values (:c, :t)",
                  command.correlation_id, command.event_type);
      // o-refused is the instance whose shipment is refused.
      if (command.event_type == "ShipOrder" && command.correlation_id == "o-refused")
        return Reply{"ShipmentRefused"};
      return Reply{event};
    };
  };
  participant("stock").on("ReserveStock", applying("StockReserved"));
  participant("stock").on("ReleaseStock", applying("StockReleased"));
  participant("payment").on("ChargeCard", applying("CardCharged"));
  participant("payment").on("RefundCard", applying("CardRefunded"));
  participant("shipping").on("ShipOrder", applying("OrderShipped"));
  participant("notification").on("NotifyCustomer", applying("CustomerNotified"));

  ASSERT_TRUE(start(orders, db(), "o-fine"));
  ASSERT_TRUE(start(orders, db(), "o-refused"));
  std::size_t seen = 0;
  std::set<std::string> inbox;
  for (int round = 0; round < 20; ++round) {
    auto rows = sent_since(db(), seen);
    if (rows.empty()) break;
    const auto republished = rows.front();  // a relay crash republishes a row
    rows.push_back(republished);
    for (const auto& row : rows) {
      if (!inbox.insert(row.event_id).second) continue;
      messaging::Envelope envelope;
      envelope.event_id = row.event_id;
      envelope.event_type = row.type;
      envelope.source = "x";
      envelope.aggregate_id = row.aggregate_id;
      envelope.correlation_id = row.correlation_id;
      envelope.causation_id = row.causation_id;
      envelope.payload = row.payload;
      const auto context = row.topic.substr(0, row.topic.find('.'));
      db::transact(db(), [&](db::UnitOfWork& uow) {
        if (row.topic.ends_with(".commands"))
          participant(context).handle(uow, envelope);
        else
          orders.handle(uow, envelope);
      });
    }
  }
  EXPECT_EQ(SagaStore::find(db(), "PlaceOrder", "o-fine")->state, SagaState::completed);
  EXPECT_EQ(SagaStore::find(db(), "PlaceOrder", "o-refused")->state, SagaState::compensated);
  auto applied = [&](const std::string& id) {
    auto uow = db().begin({db::TransactionOptions::Access::read_only});
    Strings commands;
    for (auto& [command] : uow.query<std::string>(
             "select command from applied where correlation_id = :c order by id", id))
      commands.push_back(command);
    return commands;
  };
  EXPECT_EQ(applied("o-fine"),
            (Strings{"ReserveStock", "ChargeCard", "ShipOrder", "NotifyCustomer"}));
  EXPECT_EQ(applied("o-refused"),
            (Strings{"ReserveStock", "ChargeCard", "ShipOrder", "RefundCard", "ReleaseStock"}));
}

ESKIT_ON_BOTH_BACKENDS(ParticipantTest);

}  // namespace
}  // namespace eskit::runtime::saga
