#include "eskit/runtime/db/database.hpp"

#include <soci/soci.h>

#include "database_impl.hpp"
#include "persistence/connection_url.hpp"
#include "persistence/dialect_sql.hpp"
#include "persistence/driver_error.hpp"
#include "persistence/native_script.hpp"

namespace eskit::runtime::db {

Database Database::open(std::string_view url, const DatabaseOptions& options) {
  auto target = persistence::parse_connection_url(url);
  return Database(std::make_shared<Impl>(std::move(target), options));
}

Backend Database::backend() const { return impl_->pool.target().backend; }
const std::string& Database::description() const { return impl_->pool.target().description; }
std::size_t Database::pool_size() const { return impl_->pool.size(); }

void Database::ping() const {
  auto lease = impl_->pool.acquire();
  try {
    persistence::translating_errors(description(), "ping", [&] {
      int one = 0;
      lease.session() << "select 1", soci::into(one);
    });
  } catch (const DatabaseError& e) {
    if (e.kind() == ErrorKind::connection || backend() == Backend::postgresql) lease.mark_suspect();
    throw;
  }
}

UnitOfWork Database::begin(TransactionOptions options) const {
  auto impl = std::make_unique<UnitOfWork::Impl>();
  impl->database = impl_;
  if (backend() == Backend::sqlite && options.access == TransactionOptions::Access::read_write) {
    impl->writer = std::unique_lock(impl_->sqlite_writer, std::defer_lock);
    if (!impl->writer.try_lock_for(impl_->writer_wait))
      throw DatabaseError(ErrorKind::transient, description(), "begin",
                          "another unit of work of this process has held the write lock for " +
                              std::to_string(impl_->writer_wait.count()) +
                              " ms (busy timeout); is one unit of work waiting for another?");
  }
  impl->lease.emplace(impl_->pool.acquire());
  try {
    const bool relaxed = options.durability == TransactionOptions::Durability::relaxed;
    if (relaxed && backend() == Backend::sqlite) {
      // Per connection, so finish() sets the pool's level again before the lease goes back.
      persistence::execute_native_script(impl->lease->session(), backend(), description(), "begin",
                                         "pragma synchronous = normal");
      impl->restore_synchronous = impl_->sqlite_synchronous_full;
    }
    persistence::execute_native_script(impl->lease->session(), backend(), description(), "begin",
                                       persistence::begin_transaction_sql(backend(), options));
    if (relaxed && backend() == Backend::postgresql)
      persistence::execute_native_script(impl->lease->session(), backend(), description(), "begin",
                                         "set local synchronous_commit = off");
  } catch (const DatabaseError& e) {
    if (e.kind() == ErrorKind::connection) impl->lease->mark_suspect();
    impl->finish();  // a relaxed unit of work that could not begin sets synchronous back too
    throw;
  }
  return UnitOfWork(std::move(impl));
}

}  // namespace eskit::runtime::db
