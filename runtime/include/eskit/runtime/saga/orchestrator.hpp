#pragma once
// The orchestrator of one saga. Its instances live in the service's database and move only
// inside units of work that also hold the inbox row of the event that moved them and the outbox
// rows of the commands that follow, so a crash anywhere either loses the whole transition (the
// event is redelivered and handled again) or none of it (the inbox drops the redelivery):
// no step is sent twice, no compensation is forgotten. Protocol: docs/sagas.md.
//
//   saga::Orchestrator orders(db, definition, &metrics);
//   messaging::InboxConsumer replies(db, consumer, {"stock.events", "payment.events"},
//                                    orders.handler(), inbox_options);
//   auto uow = db.begin();
//   orders.start(uow, order_id, R"({"orderId":"o-1","amount":30})");
//   uow.commit();
//   relay.wake();
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "eskit/runtime/db/database.hpp"
#include "eskit/runtime/db/unit_of_work.hpp"
#include "eskit/runtime/db/value.hpp"
#include "eskit/runtime/http/metrics.hpp"
#include "eskit/runtime/messaging/envelope.hpp"
#include "eskit/runtime/messaging/inbox_consumer.hpp"
#include "eskit/runtime/saga/definition.hpp"

namespace eskit::runtime::saga {

class Orchestrator {
 public:
  // Validates the definition (std::invalid_argument, see validate()). With `metrics`, the
  // saga's instance counts are sampled from the database at every scrape (docs/sagas.md).
  Orchestrator(db::Database database, SagaDefinition definition,
               http::MetricsRegistry* metrics = nullptr);
  ~Orchestrator();
  Orchestrator(const Orchestrator&) = delete;
  Orchestrator& operator=(const Orchestrator&) = delete;

  // Starts an instance inside the caller's unit of work: the instance row, its history and the
  // first step's command commit or roll back with the caller's own writes. `data` is a JSON
  // object; the commands carry it as their payload. Returns false, changing nothing, when the
  // saga already has an instance with this correlation id (a retried request starts nothing).
  // Throws std::invalid_argument for an empty correlation id or data that is not an object.
  bool start(db::UnitOfWork& uow, std::string_view correlation_id, std::string_view data = "{}");

  // The inbox handler: moves the instance named by the event's correlation id. Events of other
  // sagas or types are left alone; events this instance does not expect now (late, duplicate,
  // for a finished instance) are recorded in its history and change nothing else.
  void handle(db::UnitOfWork& uow, const messaging::Envelope& event);
  // handle() as an inbox handler; the orchestrator must outlive the consumer.
  messaging::InboxConsumer::Handler handler();

  // Fails every step of this saga whose deadline is at or before `now`, each instance in a unit
  // of work of its own (a retriable step is sent again). Safe next to another replica and the
  // inbox: an instance moved meanwhile is left to whoever moved it. Returns how many timed out.
  std::size_t expire_due(db::Timestamp now);

  const SagaDefinition& definition() const noexcept;

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace eskit::runtime::saga
