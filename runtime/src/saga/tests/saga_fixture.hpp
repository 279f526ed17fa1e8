#pragma once
// Shared pieces of the saga tests: a migrated service database on either backend (outbox,
// inbox and saga tables), the commands an orchestrator left in its outbox, replies as a
// participant would send them, and a definition shaped like the model's sagas.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "eskit/runtime/db/database.hpp"
#include "eskit/runtime/messaging/envelope.hpp"
#include "eskit/runtime/saga/definition.hpp"
#include "eskit/runtime/saga/orchestrator.hpp"
#include "persistence/tests/test_databases.hpp"

namespace eskit::runtime::saga::testing {

// Both backends, each test with a fresh database migrated for sagas.
class SagaTest : public db::testing::BothBackends {
 protected:
  void SetUp() override;
};

void migrate(const db::Database& database);

// One row of eskit_outbox, in append order.
struct Sent {
  std::string event_id, topic, type, aggregate_id, correlation_id, causation_id, payload;
};
std::vector<Sent> outbox(const db::Database& database);
// The outbox rows appended since `seen` rows, and moves `seen` past them.
std::vector<Sent> sent_since(const db::Database& database, std::size_t& seen);
std::vector<std::string> types(const std::vector<Sent>& sent);

// An event from a participant for one instance.
messaging::Envelope reply(const std::string& type, const std::string& correlation_id,
                          const std::string& payload = "{}", const std::string& cause = {});

// Handles the event in a unit of work of its own, as the inbox would.
void deliver(Orchestrator& orchestrator, const db::Database& database,
             const messaging::Envelope& event);
bool start(Orchestrator& orchestrator, const db::Database& database, const std::string& id,
           const std::string& data = "{}");

// The kinds of an instance's history, oldest first ("started", "command_sent", ...).
std::vector<std::string> history_kinds(const db::Database& database, const std::string& saga,
                                       const std::string& correlation_id);

// reserve (stock) → charge (payment) → ship (shipping, the pivot) → notify (retriable).
SagaDefinition order_saga(CompensationOrder order = CompensationOrder::reverse);

}  // namespace eskit::runtime::saga::testing
