#pragma once
// A saga instance and its history as stored (eskit_saga_instances, eskit_saga_history), for the
// HTTP routes, tests and operators. Tables and columns: docs/sagas.md.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "eskit/runtime/db/value.hpp"
#include "eskit/runtime/saga/state.hpp"

namespace eskit::runtime::saga {

struct SagaHistoryEntry {
  db::Timestamp at{};
  std::string kind;          // started, command_sent, step_completed, step_failed, ... ignored
  std::string step;          // the step's name; empty when none applies
  std::string message_type;  // the command sent or the event received
  std::string message_id;    // its event id
  std::string detail;        // why, in words (the failure, what was ignored and why)
};

struct SagaInstance {
  std::string saga;
  std::string correlation_id;
  SagaState state = SagaState::running;
  int step = 0;           // index of the current step (running) or of the failed one
  std::string step_name;  // its name
  int attempt = 1;        // of the current step
  std::optional<db::Timestamp> deadline;  // of the current step, when it has a timeout
  // Compensations still awaited (parallel) or queued with the head in flight (reverse), as
  // step indices.
  std::vector<int> pending;
  std::string data = "{}";  // the saga's JSON data: start data merged with reply payloads
  std::string failure;      // why it left the happy path; empty while it has not
  std::int64_t version = 1;
  db::Timestamp started_at{};
  db::Timestamp updated_at{};
  std::vector<SagaHistoryEntry> history;  // oldest first
};

}  // namespace eskit::runtime::saga
