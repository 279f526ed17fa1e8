#pragma once
// What the crash-safety test's two child programs (crash_writer_main.cpp,
// crash_applier_main.cpp) and the test itself (crash_safety_test.cpp) agree on: the tables each
// side keeps and the event they exchange. The writer's aggregate is a counter; each increment
// is one event carrying the counter's new value, so the applier's rows of one aggregate must be
// exactly 1..N, in order, where N is the writer's committed counter.
#include <boost/json.hpp>

#include <cstdint>
#include <string>
#include <string_view>

#include "eskit/runtime/db/migrator.hpp"
#include "eskit/runtime/messaging/outbox.hpp"

namespace eskit::runtime::messaging::crash {

inline constexpr std::string_view event_type = "CounterIncremented";
inline constexpr std::string_view source = "crash-writer";

// The writer's aggregates: "counter-00", "counter-01", ...
inline std::string aggregate_id(int index) {
  return std::string(index < 10 ? "counter-0" : "counter-") + std::to_string(index);
}

// Writer: the aggregate table next to the outbox.
inline std::vector<db::Migration> writer_migrations(db::Dialect dialect) {
  auto migrations = Outbox::migrations(dialect, 1000);
  migrations.push_back({1, "counters",
                        "create table crash_counters (id text primary key, version integer not "
                        "null)"});
  return migrations;
}

// Applier: one row per handler run. Deliberately no unique constraint on the event: a second
// application of one event would be a second row, visible to the test, instead of a constraint
// violation that hides it. `id` records the order of application.
inline std::vector<db::Migration> applier_migrations(db::Dialect dialect) {
  auto migrations = Outbox::migrations(dialect, 1000);
  migrations.push_back({1, "applied",
                        "create table crash_applied (id integer primary key, aggregate_id text not "
                        "null, sequence integer not null, event_id text not null, rolled_back "
                        "integer not null)"});
  return migrations;
}

// The event's payload. A rolled-back increment's event is marked, so that it is recognisable
// wherever it might turn up (on the wire, in the applier's table).
struct Increment {
  std::int64_t sequence = 0;
  bool rolled_back = false;
};

inline std::string to_payload(const Increment& increment) {
  boost::json::object payload;
  payload["sequence"] = increment.sequence;
  payload["rolledBack"] = increment.rolled_back;
  return boost::json::serialize(payload);
}

inline Increment from_payload(std::string_view text) {
  const auto payload = boost::json::parse(text).as_object();
  return {payload.at("sequence").to_number<std::int64_t>(), payload.at("rolledBack").as_bool()};
}

}  // namespace eskit::runtime::messaging::crash
