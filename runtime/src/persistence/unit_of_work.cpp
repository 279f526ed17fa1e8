#include "eskit/runtime/db/unit_of_work.hpp"

#include "database_impl.hpp"
#include "persistence/bound_statement.hpp"
#include "persistence/driver_error.hpp"
#include "persistence/native_script.hpp"

namespace eskit::runtime::db {
namespace {

// Every statement of a unit of work goes through here: translate the driver's error, and
// remember a lost connection so its next lease checks it.
template <class F>
decltype(auto) guarded(UnitOfWork::Impl& impl, std::string_view statement, F&& f) {
  if (!impl.lease) {
    throw DatabaseError(ErrorKind::usage, impl.description(), std::string(statement),
                        "the unit of work has already been committed or rolled back");
  }
  try {
    return persistence::translating_errors(impl.description(), statement, std::forward<F>(f));
  } catch (const DatabaseError& e) {
    if (e.kind() == ErrorKind::connection && impl.lease) impl.lease->mark_suspect();
    throw;
  }
}

}  // namespace

UnitOfWork::UnitOfWork(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
UnitOfWork::UnitOfWork(UnitOfWork&&) noexcept = default;

UnitOfWork& UnitOfWork::operator=(UnitOfWork&& other) noexcept {
  if (this != &other) {
    if (active()) rollback_quietly();
    impl_ = std::move(other.impl_);
  }
  return *this;
}

UnitOfWork::~UnitOfWork() {
  if (active()) rollback_quietly();
}

bool UnitOfWork::active() const noexcept { return impl_ && impl_->lease.has_value(); }

Dialect UnitOfWork::dialect() const { return Dialect(impl_->backend()); }
const std::string& UnitOfWork::database() const { return impl_->description(); }

std::uint64_t UnitOfWork::execute_values(const Statement& statement,
                                         std::span<const Value> params) {
  return guarded(*impl_, statement.label(), [&] {
    return persistence::run_bound_statement(impl_->lease->session(), statement.sql, params, {}, 0)
        .affected_rows;
  });
}

std::vector<std::vector<Value>> UnitOfWork::query_values(const Statement& statement,
                                                         std::span<const Value> params,
                                                         std::span<const ColumnSpec> columns,
                                                         std::size_t max_rows) {
  return guarded(*impl_, statement.label(), [&] {
    return persistence::run_bound_statement(impl_->lease->session(), statement.sql, params, columns,
                                            max_rows)
        .rows;
  });
}

void UnitOfWork::execute_script(const Statement& script) {
  guarded(*impl_, script.label(), [&] {
    persistence::execute_native_script(impl_->lease->session(), impl_->backend(),
                                       impl_->description(), script.label(), script.sql);
  });
}

void UnitOfWork::commit() {
  guarded(*impl_, "commit", [&] {
    try {
      persistence::execute_native_script(impl_->lease->session(), impl_->backend(),
                                         impl_->description(), "commit", "commit");
    } catch (...) {
      // A failed COMMIT may leave SQLite's transaction open; never return such a connection.
      rollback_quietly();
      throw;
    }
    impl_->finish();
  });
}

void UnitOfWork::rollback() {
  guarded(*impl_, "rollback", [&] {
    try {
      persistence::execute_native_script(impl_->lease->session(), impl_->backend(),
                                         impl_->description(), "rollback", "rollback");
    } catch (...) {
      impl_->lease->mark_suspect();
      impl_->finish();
      throw;
    }
    impl_->finish();
  });
}

void UnitOfWork::rollback_quietly() noexcept {
  if (!active()) return;
  // PostgreSQL ends a transaction whose COMMIT failed; rolling back then would only warn.
  if (!persistence::in_transaction(impl_->lease->session(), impl_->backend())) {
    impl_->finish();
    return;
  }
  try {
    persistence::execute_native_script(impl_->lease->session(), impl_->backend(),
                                       impl_->description(), "rollback", "rollback");
  } catch (...) {
    // The connection is in doubt (e.g. the server went away): check it before reuse.
    impl_->lease->mark_suspect();
  }
  impl_->finish();
}

}  // namespace eskit::runtime::db
