#pragma once
// The outbox's statements, shared by Outbox (append, purge, backlog) and the Relay (claim,
// mark). Every value is bound; only the claim differs between dialects.
#include <cstddef>
#include <string>
#include <string_view>

#include "eskit/runtime/db/statement.hpp"

namespace eskit::runtime::messaging::sql {

inline constexpr db::Statement append{"eskit_outbox.append",
                                      "insert into eskit_outbox (event_id, topic, event_type, "
                                      "schema_version, source, aggregate_id, correlation_id, "
                                      "causation_id, occurred_at, payload, created_at, attempts) "
                                      "values (:event_id, :topic, :event_type, "
                                      ":schema_version, :source, :aggregate_id, :correlation_id, "
                                      ":causation_id, :occurred_at, :payload, :created_at, 0)"};

#define ESKIT_OUTBOX_COLUMNS                                                                     \
  "select o.id, o.topic, o.event_id, o.event_type, o.schema_version, o.source, o.aggregate_id, " \
  "o.correlation_id, o.causation_id, o.occurred_at, o.payload from eskit_outbox o "
// SQLite: the unsent rows from :floor in id order (Relay::State::unsent_floor: every row below
// it is sent). The first row of an aggregate met in this scan is its head; the relay picks the
// heads out in memory. A per-row "is this the head" subquery and the index it needed cost more
// than the rest of the round (see docs/messaging.md).
inline constexpr db::Statement claim_sqlite{
    "eskit_outbox.claim",
    ESKIT_OUTBOX_COLUMNS "where o.id >= :floor and o.sent_at is null order by o.id limit :scan"};
// PostgreSQL: the oldest unsent row of each (topic, aggregate), so an aggregate's next event
// never overtakes one whose delivery has not been acknowledged yet. Rows stay locked until the
// round marks them; another relay skips them rather than waiting, and cannot take an
// aggregate's next row because the locked head is still unsent.
inline constexpr db::Statement claim_postgresql{
    "eskit_outbox.claim", ESKIT_OUTBOX_COLUMNS
    "where o.sent_at is null and o.id = (select min(p.id) from eskit_outbox p where p.sent_at is "
    "null and p.topic = o.topic and p.aggregate_id = o.aggregate_id) "
    "order by o.id limit :batch for update skip locked"};
#undef ESKIT_OUTBOX_COLUMNS

// Marks up to mark_chunk rows sent in one statement, so a round of 500 costs four statements
// rather than 500. A shorter list repeats its last id (an IN list ignores repeats), so every
// chunk has the same text.
inline constexpr std::size_t mark_chunk = 128;
inline const std::string& mark_sent_sql() {
  static const std::string text = [] {
    std::string sql =
        "update eskit_outbox set sent_at = :sent_at, attempts = attempts + 1, last_error = null "
        "where id in (";
    for (std::size_t i = 0; i < mark_chunk; ++i)
      sql += (i == 0 ? ":id" : ", :id") + std::to_string(i);
    return sql + ")";
  }();
  return text;
}
inline constexpr db::Statement mark_failed{
    "eskit_outbox.mark_failed",
    "update eskit_outbox set attempts = attempts + 1, last_error = :error where id = :id"};
inline constexpr db::Statement purge{
    "eskit_outbox.purge",
    "delete from eskit_outbox where sent_at is not null and sent_at < :cutoff"};
inline constexpr db::Statement backlog{
    "eskit_outbox.backlog",
    "select count(*), min(created_at) from eskit_outbox where sent_at is null"};
// The relay's own count on SQLite, which has no index on unsent rows: from its floor on, so
// the sent rows kept until the purge are not scanned.
inline constexpr db::Statement backlog_from{
    "eskit_outbox.backlog",
    "select count(*), min(created_at) from eskit_outbox where id >= :floor and sent_at is null"};

inline constexpr db::Statement inbox_record{
    "eskit_inbox.record",
    "insert into eskit_inbox (consumer, event_id, event_type, source_topic, source_partition, "
    "source_offset, "
    "handled_at) values (:consumer, :event_id, :event_type, :topic, :partition, :offset, "
    ":handled_at) "
    "on conflict (consumer, event_id) do nothing"};

}  // namespace eskit::runtime::messaging::sql
