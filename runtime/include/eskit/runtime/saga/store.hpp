#pragma once
// The saga tables and the queries on them that are not transitions (those belong to the
// Orchestrator and the ChoreographyTracker).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "eskit/runtime/db/database.hpp"
#include "eskit/runtime/db/dialect.hpp"
#include "eskit/runtime/db/migrator.hpp"
#include "eskit/runtime/db/unit_of_work.hpp"
#include "eskit/runtime/saga/instance.hpp"

namespace eskit::runtime::saga {

class SagaStore {
 public:
  // The DDL of eskit_saga_instances and eskit_saga_history as migrations numbered
  // first_version, first_version + 1: the service appends them to its list for its Migrator
  // (next to Outbox::migrations, which sagas need too).
  static std::vector<db::Migration> migrations(db::Dialect dialect, std::int64_t first_version);

  // The instance with its history, or nullopt.
  static std::optional<SagaInstance> find(db::UnitOfWork& uow, std::string_view saga,
                                          std::string_view correlation_id);
  static std::optional<SagaInstance> find(const db::Database& database, std::string_view saga,
                                          std::string_view correlation_id);

  // Instances of `saga` in `state`.
  static std::int64_t count(const db::Database& database, std::string_view saga, SagaState state);
};

// {"saga":..,"correlationId":..,"state":..,"step":..,"attempt":..,"deadline":..,
//  "pending":[..],"data":{..},"failure":..,"version":..,"startedAt":..,"updatedAt":..,
//  "history":[{"at":..,"kind":..,"step":..,"messageType":..,"messageId":..,"detail":..}]}
std::string to_json(const SagaInstance& instance);

}  // namespace eskit::runtime::saga
