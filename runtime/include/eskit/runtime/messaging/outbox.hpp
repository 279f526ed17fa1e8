#pragma once
// The transactional outbox: an event is a row written by the same unit of work that changes
// the aggregate, so the change and the event commit or roll back together. The Relay later
// publishes committed rows to Kafka. Tables: docs/messaging.md.
//
//   auto uow = db.begin();
//   orders.update(uow, order, version);
//   messaging::Outbox::append(uow, messaging::Envelope::make("OrderPlaced", "ordering", order.id,
//   json),
//                             "ordering.events");
//   uow.commit();
//   relay.wake();  // publish now instead of at the next poll
#include <cstdint>
#include <string_view>
#include <vector>

#include "eskit/runtime/db/database.hpp"
#include "eskit/runtime/db/dialect.hpp"
#include "eskit/runtime/db/migrator.hpp"
#include "eskit/runtime/db/unit_of_work.hpp"
#include "eskit/runtime/db/value.hpp"
#include "eskit/runtime/messaging/envelope.hpp"

namespace eskit::runtime::messaging {

class Outbox {
 public:
  // The DDL of eskit_outbox and eskit_inbox as migrations numbered first_version,
  // first_version + 1, ...: the service appends them to its own list for its Migrator.
  static std::vector<db::Migration> migrations(db::Dialect dialect, std::int64_t first_version);

  // Inserts the event inside the caller's unit of work. Throws EnvelopeError for an envelope
  // that could never be published (see encode()), db::DatabaseError from the database.
  static void append(db::UnitOfWork& uow, const Envelope& envelope, std::string_view topic);

  // Deletes published rows sent before `cutoff`; returns how many. Unsent rows are never purged.
  static std::uint64_t purge(const db::Database& database, db::Timestamp cutoff);

  // Rows not yet acknowledged by the broker.
  static std::int64_t backlog(const db::Database& database);
};

}  // namespace eskit::runtime::messaging
