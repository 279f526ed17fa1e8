#include "saga_fixture.hpp"

#include "eskit/runtime/db/migrator.hpp"
#include "eskit/runtime/db/retry.hpp"
#include "eskit/runtime/messaging/outbox.hpp"
#include "eskit/runtime/saga/store.hpp"

namespace eskit::runtime::saga::testing {

void SagaTest::SetUp() {
  BothBackends::SetUp();
  if (HasFatalFailure()) return;
  migrate(db());
}

void migrate(const db::Database& database) {
  auto migrations = messaging::Outbox::migrations(database.dialect(), 1000);
  for (auto& m : SagaStore::migrations(database.dialect(), 2000)) migrations.push_back(m);
  // What participants applied, in order (participant_test.cpp).
  migrations.push_back({1, "applied",
                        "create table applied (id " +
                            std::string(database.dialect().identity_primary_key()) +
                            ", correlation_id text not null, command text not null)"});
  db::Migrator(std::move(migrations)).run(database);
}

std::vector<Sent> outbox(const db::Database& database) {
  auto uow = database.begin({db::TransactionOptions::Access::read_only});
  std::vector<Sent> sent;
  for (auto& [event_id, topic, type, aggregate, correlation, causation, payload] :
       uow.query<std::string, std::string, std::string, std::string, std::string, std::string,
                 std::string>("select event_id, topic, event_type, aggregate_id, correlation_id, "
                              "causation_id, payload from eskit_outbox order by id"))
    sent.push_back({event_id, topic, type, aggregate, correlation, causation, payload});
  uow.commit();
  return sent;
}

std::vector<Sent> sent_since(const db::Database& database, std::size_t& seen) {
  auto all = outbox(database);
  std::vector<Sent> fresh(all.begin() + static_cast<std::ptrdiff_t>(std::min(seen, all.size())),
                          all.end());
  seen = all.size();
  return fresh;
}

std::vector<std::string> types(const std::vector<Sent>& sent) {
  std::vector<std::string> names;
  for (const auto& s : sent) names.push_back(s.type);
  return names;
}

messaging::Envelope reply(const std::string& type, const std::string& correlation_id,
                          const std::string& payload, const std::string& cause) {
  return messaging::Envelope::make(type, "participant", correlation_id, payload, correlation_id,
                                   cause);
}

void deliver(Orchestrator& orchestrator, const db::Database& database,
             const messaging::Envelope& event) {
  db::transact(database, [&](db::UnitOfWork& uow) { orchestrator.handle(uow, event); });
}

bool start(Orchestrator& orchestrator, const db::Database& database, const std::string& id,
           const std::string& data) {
  return db::transact(database,
                      [&](db::UnitOfWork& uow) { return orchestrator.start(uow, id, data); });
}

std::vector<std::string> history_kinds(const db::Database& database, const std::string& saga,
                                       const std::string& correlation_id) {
  std::vector<std::string> kinds;
  if (const auto instance = SagaStore::find(database, saga, correlation_id))
    for (const auto& entry : instance->history) kinds.push_back(entry.kind);
  return kinds;
}

SagaDefinition order_saga(CompensationOrder order) {
  SagaDefinition saga;
  saga.name = "PlaceOrder";
  saga.source = "ordering";
  saga.compensation_order = order;
  saga.steps = {
      {.name = "reserve",
       .command = "ReserveStock",
       .topic = "stock.commands",
       .completes_on = "StockReserved",
       .fails_on = {"OutOfStock"},
       .compensation = "ReleaseStock",
       .compensated_on = "StockReleased"},
      {.name = "charge",
       .command = "ChargeCard",
       .topic = "payment.commands",
       .completes_on = "CardCharged",
       .fails_on = {"CardDeclined"},
       .compensation = "RefundCard",
       .compensated_on = "CardRefunded"},
      {.name = "ship",
       .command = "ShipOrder",
       .topic = "shipping.commands",
       .completes_on = "OrderShipped",
       .fails_on = {"ShipmentRefused"},
       .pivot = true},
      {.name = "notify",
       .command = "NotifyCustomer",
       .topic = "notification.commands",
       .completes_on = "CustomerNotified",
       .fails_on = {"NotificationFailed"},
       .retriable = true,
       .max_attempts = 2},
  };
  return saga;
}

}  // namespace eskit::runtime::saga::testing
