#pragma once
// A choreographed saga has no orchestrator: each context's policies react to the others'
// events. The tracker gives it the same record: an inbox handler that follows the saga's events
// by correlation id and keeps its instances and their history in the same tables, queryable
// the same way (SagaStore, the HTTP routes). Handled through the inbox, so a redelivered event
// is recorded once. It sends nothing.
#include <memory>

#include "eskit/runtime/db/database.hpp"
#include "eskit/runtime/db/unit_of_work.hpp"
#include "eskit/runtime/http/metrics.hpp"
#include "eskit/runtime/messaging/envelope.hpp"
#include "eskit/runtime/messaging/inbox_consumer.hpp"
#include "eskit/runtime/saga/definition.hpp"

namespace eskit::runtime::saga {

class ChoreographyTracker {
 public:
  // Validates like the Orchestrator; topics may be empty (nothing is sent).
  ChoreographyTracker(db::Database database, SagaDefinition definition,
                      http::MetricsRegistry* metrics = nullptr);
  ~ChoreographyTracker();
  ChoreographyTracker(const ChoreographyTracker&) = delete;
  ChoreographyTracker& operator=(const ChoreographyTracker&) = delete;

  // The first step event of a correlation id opens its instance; a step's completes_on moves
  // it past that step (events of different contexts may arrive in any order, so a later step's
  // event also moves it past the ones between), a fails_on makes it compensating, the
  // compensated_on events of the completed steps make it compensated.
  void handle(db::UnitOfWork& uow, const messaging::Envelope& event);
  // handle() as an inbox handler; the tracker must outlive the consumer.
  messaging::InboxConsumer::Handler handler();

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace eskit::runtime::saga
