#pragma once
// Runs a unit of work again when the database says retrying can succeed: PostgreSQL
// serialization failures and deadlocks, SQLite busy/locked. Everything else (including
// ConcurrencyConflict, which needs a fresh decision by the caller) propagates at once.
//
//   auto id = db::transact(db, [&](db::UnitOfWork& uow) { return orders.insert(uow, order); });
#include <chrono>
#include <type_traits>
#include <utility>

#include "eskit/runtime/db/database.hpp"
#include "eskit/runtime/db/error.hpp"

namespace eskit::runtime::db {

struct RetryPolicy {
  int max_attempts = 5;
  // Exponential backoff with full jitter: attempt n waits uniformly in [0, min(max, base*2^n)].
  std::chrono::milliseconds base_delay{5};
  std::chrono::milliseconds max_delay{200};
};

namespace detail {
void wait_before_retry(const RetryPolicy& policy, int attempt);
}

// Calls `attempt()` until it returns, retrying transient DatabaseErrors.
template <class F>
auto with_retry(F&& attempt, const RetryPolicy& policy = {}) -> decltype(attempt()) {
  for (int n = 1;; ++n) {
    try {
      return attempt();
    } catch (const DatabaseError& e) {
      if (!e.is_transient() || n >= policy.max_attempts) throw;
    }
    detail::wait_before_retry(policy, n);
  }
}

// Begins a unit of work, runs `work(uow)`, commits; retries the whole thing on transient errors.
template <class F>
auto transact(const Database& database, F&& work, const RetryPolicy& policy = {},
              TransactionOptions options = {}) {
  return with_retry(
      [&]() {
        auto uow = database.begin(options);
        if constexpr (std::is_void_v<std::invoke_result_t<F&, UnitOfWork&>>) {
          work(uow);
          uow.commit();
        } else {
          auto result = work(uow);
          uow.commit();
          return result;
        }
      },
      policy);
}

}  // namespace eskit::runtime::db
