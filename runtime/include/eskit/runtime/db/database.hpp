#pragma once
// A database: a pool of connections to one SQLite file or one PostgreSQL database, chosen by
// URL. Cheap to copy (shared); thread-safe. Units of work lease a connection for their lifetime.
#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "eskit/runtime/db/dialect.hpp"
#include "eskit/runtime/db/unit_of_work.hpp"

namespace eskit::runtime::db {

struct DatabaseOptions {
  // Connections kept open. SQLite allows one writer at a time, but readers proceed in WAL.
  std::size_t pool_size = 4;
  // How long begin() and ping() wait for a free connection before ErrorKind::pool_exhausted.
  std::chrono::milliseconds acquire_timeout{5000};
  // SQLite: how long a statement waits for another connection's write lock before SQLITE_BUSY.
  std::chrono::milliseconds busy_timeout{5000};
  // SQLite: synchronous=FULL fsyncs the WAL at every commit, so a commit the service has
  // acknowledged (and whose outbox events it may publish) survives power loss. NORMAL is
  // faster but may lose the last commits on power loss; choose it only for rebuildable data.
  bool sqlite_synchronous_full = true;
};

class Database {
 public:
  // "sqlite:/path/file.db" (created if missing; "sqlite::memory:" for a private in-memory
  // database, pool size 1), "postgresql://user[:password]@host[:port]/db[?param=value]",
  // "postgres://..." or a libpq keyword string "host=... port=... dbname=... user=...".
  // Opens every pooled connection now, so a wrong URL fails at start-up.
  static Database open(std::string_view url, const DatabaseOptions& options = {});

  Backend backend() const;
  Dialect dialect() const { return Dialect(backend()); }
  // The URL without its password: safe for logs and error messages.
  const std::string& description() const;
  std::size_t pool_size() const;

  // Readiness: leases a connection and runs a trivial query. Throws DatabaseError
  // (connection or pool_exhausted) when the database cannot serve requests.
  void ping() const;

  // Starts a unit of work (a transaction on one leased connection).
  UnitOfWork begin(TransactionOptions options = {}) const;

  struct Impl;

 private:
  explicit Database(std::shared_ptr<Impl> impl) : impl_(std::move(impl)) {}
  std::shared_ptr<Impl> impl_;
};

}  // namespace eskit::runtime::db
