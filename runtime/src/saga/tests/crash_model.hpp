#pragma once
// What the saga crash test (crash_test.cpp) and its two child programs
// (crash_orchestrator_main.cpp, crash_participant_main.cpp) agree on: the saga, its topics, the
// instances and the participant's table of applied commands.
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "eskit/runtime/db/migrator.hpp"
#include "eskit/runtime/messaging/outbox.hpp"
#include "eskit/runtime/saga/definition.hpp"
#include "eskit/runtime/saga/store.hpp"

namespace eskit::runtime::saga::crash {

inline const std::string commands_topic = "crash.commands";
inline const std::string replies_topic = "crash.replies";

// reserve → charge → ship (the pivot; refused for every third instance) → notify (retriable).
// reserve and charge time out after `step_timeout` (zero: never), which a participant away
// for a rebalance, or an orchestrator whose inbox is still joining its group, makes happen.
inline SagaDefinition definition(std::chrono::milliseconds step_timeout) {
  SagaDefinition saga;
  saga.name = "CrashOrder";
  saga.source = "crash-orchestrator";
  saga.steps = {
      {.name = "reserve",
       .command = "Reserve",
       .topic = commands_topic,
       .completes_on = "Reserved",
       .compensation = "Release",
       .compensated_on = "Released",
       .timeout = step_timeout},
      {.name = "charge",
       .command = "Charge",
       .topic = commands_topic,
       .completes_on = "Charged",
       .compensation = "Refund",
       .compensated_on = "Refunded",
       .timeout = step_timeout},
      {.name = "ship",
       .command = "Ship",
       .topic = commands_topic,
       .completes_on = "Shipped",
       .fails_on = {"ShipRefused"},
       .pivot = true},
      {.name = "notify",
       .command = "Notify",
       .topic = commands_topic,
       .completes_on = "Notified",
       .retriable = true},
  };
  return saga;
}

inline std::string instance_id(int index) {
  char text[32];
  std::snprintf(text, sizeof text, "order-%04d", index);
  return text;
}
inline bool refused(int index) { return index % 3 == 0; }

inline std::vector<db::Migration> orchestrator_migrations(db::Dialect dialect) {
  auto migrations = messaging::Outbox::migrations(dialect, 1000);
  for (auto& m : SagaStore::migrations(dialect, 2000)) migrations.push_back(std::move(m));
  return migrations;
}

// One row per command the participant applied. Deliberately no unique constraint: a second
// application would be a second row the test sees, not a constraint violation that hides it.
inline std::vector<db::Migration> participant_migrations(db::Dialect dialect) {
  auto migrations = messaging::Outbox::migrations(dialect, 1000);
  migrations.push_back({1, "applied",
                        "create table crash_applied (id integer primary key, correlation_id text "
                        "not null, command text not null, event_id text not null)"});
  return migrations;
}

}  // namespace eskit::runtime::saga::crash
