#pragma once
// What a Database and its units of work share.
#include "eskit/runtime/db/database.hpp"
#include "eskit/runtime/db/unit_of_work.hpp"
#include "persistence/connection_pool.hpp"

namespace eskit::runtime::db {

struct Database::Impl {
  Impl(persistence::ConnectionTarget target, const DatabaseOptions& options)
      : pool(std::move(target), options) {}
  persistence::ConnectionPool pool;
};

struct UnitOfWork::Impl {
  // Keeps the pool alive as long as a unit of work holds one of its connections.
  std::shared_ptr<Database::Impl> database;
  std::optional<persistence::ConnectionPool::Lease> lease;  // empty once committed or rolled back

  const std::string& description() const { return database->pool.target().description; }
  Backend backend() const { return database->pool.target().backend; }
};

}  // namespace eskit::runtime::db
