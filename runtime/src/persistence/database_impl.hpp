#pragma once
// What a Database and its units of work share.
#include <mutex>

#include "eskit/runtime/db/database.hpp"
#include "eskit/runtime/db/unit_of_work.hpp"
#include "persistence/connection_pool.hpp"
#include "persistence/native_script.hpp"

namespace eskit::runtime::db {

struct Database::Impl {
  Impl(persistence::ConnectionTarget target, const DatabaseOptions& options)
      : pool(std::move(target), options),
        writer_wait(options.busy_timeout),
        sqlite_synchronous_full(options.sqlite_synchronous_full) {}
  persistence::ConnectionPool pool;
  // SQLite has one writer per file. Writers of this process queue here, in the order they
  // come, before they take a connection: left to SQLite, each would sleep in its busy handler
  // (1, 2, 5 ... 100 ms at a time) and wake to find the lock taken again, which under load
  // puts hundreds of milliseconds into the tail. Other processes on the same file still meet
  // SQLite's busy timeout.
  std::timed_mutex sqlite_writer;
  std::chrono::milliseconds writer_wait;
  bool sqlite_synchronous_full;
};

struct UnitOfWork::Impl {
  // Keeps the pool alive as long as a unit of work holds one of its connections.
  std::shared_ptr<Database::Impl> database;
  // Declared before the lease, so a unit of work destroyed mid-transaction returns its
  // connection before it lets the next writer in.
  std::unique_lock<std::timed_mutex> writer;                // SQLite read-write units only
  std::optional<persistence::ConnectionPool::Lease> lease;  // empty once committed or rolled back

  // A relaxed SQLite unit of work turned synchronous down on its connection.
  bool restore_synchronous = false;

  // The transaction is over: the connection goes back to the pool (as the pool set it up),
  // then the next writer may go.
  void finish() noexcept {
    if (restore_synchronous && lease) {
      try {
        persistence::execute_native_script(lease->session(), backend(), description(), "commit",
                                           "pragma synchronous = full");
      } catch (...) {
        lease->mark_suspect();  // only a broken connection fails here: checked at its next lease
      }
    }
    lease.reset();
    if (writer.owns_lock()) writer.unlock();
  }

  const std::string& description() const { return database->pool.target().description; }
  Backend backend() const { return database->pool.target().backend; }
};

}  // namespace eskit::runtime::db
