#include "persistence/connection_pool.hpp"

#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <algorithm>
#include <string>

#include "persistence/dialect_sql.hpp"
#include "persistence/driver_error.hpp"
#include "persistence/native_script.hpp"

namespace eskit::runtime::db::persistence {

ConnectionPool::ConnectionPool(ConnectionTarget target, const DatabaseOptions& options)
    : target_(std::move(target)),
      options_(options),
      // Every connection to ":memory:" would be a separate, empty database.
      size_(target_.in_memory ? 1 : std::max<std::size_t>(options.pool_size, 1)),
      pool_(size_),
      suspect_(std::make_unique<std::atomic<bool>[]>(size_)) {
  for (std::size_t i = 0; i < size_; ++i) connect(pool_.at(i));
}

void ConnectionPool::connect(soci::session& session) const {
  try {
    translating_errors(target_.description, "", [&] {
      if (target_.backend == Backend::sqlite) {
        session.open(*soci::factory_sqlite3(), target_.connect_string);
        // Set first, so the pragmas below already wait for a concurrent opener's lock.
        session << "pragma busy_timeout = " + std::to_string(options_.busy_timeout.count());
      } else {
        session.open(*soci::factory_postgresql(), target_.connect_string);
      }
    });
  } catch (const DatabaseError& e) {
    // Whatever the driver's category, failing to open is a connection failure to the caller.
    if (e.kind() == ErrorKind::connection) throw;
    throw DatabaseError(ErrorKind::connection, e.database(), e.statement(), e.message(), e.code());
  }
  execute_native_script(session, target_.backend, target_.description, "session setup",
                        session_setup_sql(target_.backend, options_.sqlite_synchronous_full));
}

ConnectionPool::Lease ConnectionPool::acquire() {
  std::size_t position = 0;
  if (!pool_.try_lease(position, static_cast<int>(options_.acquire_timeout.count()))) {
    throw DatabaseError(ErrorKind::pool_exhausted, target_.description, {},
                        "all " + std::to_string(size_) + " connections stayed busy for " +
                            std::to_string(options_.acquire_timeout.count()) +
                            " ms (raise the pool size or shorten units of work)");
  }
  Lease lease(*this, position);
  auto& session = lease.session();
  // libpq notices a dropped server only when a statement fails; that statement's error
  // reached its caller, and this lease checks (one round trip) and reconnects if needed.
  if (suspect_[position].exchange(false) && !session.is_connected()) {
    translating_errors(target_.description, "", [&] { session.reconnect(); });
    execute_native_script(session, target_.backend, target_.description, "session setup",
                          session_setup_sql(target_.backend, options_.sqlite_synchronous_full));
  }
  return lease;
}

ConnectionPool::Lease::~Lease() {
  if (pool_ != nullptr) pool_->pool_.give_back(position_);
}

}  // namespace eskit::runtime::db::persistence
