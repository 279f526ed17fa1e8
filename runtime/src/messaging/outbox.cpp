#include "eskit/runtime/messaging/outbox.hpp"

#include <string>

#include "messaging/outbox_sql.hpp"

namespace eskit::runtime::messaging {
namespace {

db::Timestamp now() {
  return std::chrono::floor<std::chrono::microseconds>(std::chrono::system_clock::now());
}

}  // namespace

std::vector<db::Migration> Outbox::migrations(db::Dialect dialect, std::int64_t first_version) {
  const std::string bigint(dialect.column_type(db::ColumnType::integer));
  const std::string timestamp(dialect.column_type(db::ColumnType::timestamp));
  // Partial indexes: the PostgreSQL relay's head query touches unsent rows only, and the purge
  // sent rows only, however large the other half grows.
  std::string outbox =
      "create table eskit_outbox (\n"
      "  id " +
      std::string(dialect.identity_primary_key()) +
      ",\n"
      "  event_id text not null unique,\n"
      "  topic text not null,\n"
      "  event_type text not null,\n"
      "  schema_version integer not null,\n"
      "  source text not null,\n"
      "  aggregate_id text not null,\n"
      "  correlation_id text not null,\n"
      "  causation_id text not null,\n"
      "  occurred_at " +
      timestamp +
      " not null,\n"
      "  payload text not null,\n"
      "  created_at " +
      timestamp +
      " not null,\n"
      "  sent_at " +
      timestamp +
      ",\n"
      "  attempts integer not null default 0,\n"
      "  last_error text\n"
      ");\n"
      "create index eskit_outbox_unsent on eskit_outbox (topic, aggregate_id, id) where sent_at is "
      "null;\n"
      "create index eskit_outbox_sent on eskit_outbox (sent_at) where sent_at is not null";
  std::string inbox =
      "create table eskit_inbox (\n"
      "  consumer text not null,\n"
      "  event_id text not null,\n"
      "  event_type text not null,\n"
      "  source_topic text not null,\n"
      "  source_partition integer not null,\n"
      "  source_offset " +
      bigint +
      " not null,\n"
      "  handled_at " +
      timestamp +
      " not null,\n"
      "  primary key (consumer, event_id)\n"
      ")";
  std::vector<db::Migration> migrations{{first_version, "eskit outbox", std::move(outbox)},
                                        {first_version + 1, "eskit inbox", std::move(inbox)}};
  // SQLite's one relay finds each aggregate's head in its id-ordered scan, so the unsent index
  // only slowed every mark (it halved the relay's mark cost to drop it). Dropped by a migration
  // of its own, not by editing the first, whose checksum existing files hold.
  if (dialect.backend() == db::Backend::sqlite)
    migrations.push_back({first_version + 2, "eskit outbox: heads found by the relay",
                          "drop index eskit_outbox_unsent"});
  return migrations;
}

void Outbox::append(db::UnitOfWork& uow, const Envelope& e, std::string_view topic) {
  if (topic.empty()) throw EnvelopeError("outbox topic is empty");
  encode(e);  // refuse now what the relay could never publish, while the caller can still roll back
  uow.execute(sql::append, e.event_id, topic, e.event_type, e.schema_version, e.source,
              e.aggregate_id, e.correlation_id, e.causation_id, e.occurred_at, e.payload, now());
}

std::uint64_t Outbox::purge(const db::Database& database, db::Timestamp cutoff) {
  auto uow = database.begin();
  const auto rows = uow.execute(sql::purge, cutoff);
  uow.commit();
  return rows;
}

std::int64_t Outbox::backlog(const db::Database& database) {
  auto uow = database.begin({db::TransactionOptions::Access::read_only});
  const auto rows = uow.query_scalar<std::int64_t>(sql::backlog).value_or(0);
  uow.commit();
  return rows;
}

}  // namespace eskit::runtime::messaging
