#pragma once
// One command's unit of work as a generated endpoint or policy runs it: begin, let `work`
// load, decide and write, commit. A conflict is answered the way a careful person would:
// transient database errors (SQLite busy, PostgreSQL serialization) and optimistic-concurrency
// conflicts (another command changed the aggregate since it was loaded) run the whole command
// again on fresh state; a conflict that persists, or a unique key the write violates, becomes a
// 409 problem rather than a 500.
//
//   auto state = service::command_transaction(database, [&](db::UnitOfWork& uow) {
//     auto found = orders.load(uow, id);  ...  orders.update(uow, state, version);
//     return state;
//   });
#include <string>
#include <type_traits>
#include <utility>

#include "eskit/runtime/db/database.hpp"
#include "eskit/runtime/db/error.hpp"
#include "eskit/runtime/db/retry.hpp"
#include "eskit/runtime/http/problem.hpp"

namespace eskit::runtime::service {

inline constexpr int command_attempts = 5;

template <class F>
auto command_transaction(const db::Database& database, F&& work) {
  for (int attempt = 1;; ++attempt) {
    try {
      return db::transact(database, work);
    } catch (const db::ConcurrencyConflict&) {
      if (attempt < command_attempts) continue;
      throw http::Problem(409, "conflict",
                          "the aggregate kept changing under this command; try again");
    } catch (const db::DatabaseError& error) {
      if (error.kind() != db::ErrorKind::constraint_violation) throw;
      throw http::Problem(409, "conflict",
                          "the change conflicts with stored data: " + error.message());
    }
  }
}

}  // namespace eskit::runtime::service
