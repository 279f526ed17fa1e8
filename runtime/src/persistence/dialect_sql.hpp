#pragma once
// The runtime's own dialect-dependent SQL (transactions, locks, bookkeeping tables). Lives in
// dialect.cpp next to the public Dialect so all SQLite/PostgreSQL differences sit in one file.
#include <string>
#include <string_view>

#include "eskit/runtime/db/dialect.hpp"
#include "eskit/runtime/db/unit_of_work.hpp"

namespace eskit::runtime::db::persistence {

std::string begin_transaction_sql(Backend backend, const TransactionOptions& options);
// Statements run once on every new connection (pragmas, session settings).
std::string_view session_setup_sql(Backend backend, bool sqlite_synchronous_full);
// Serialises concurrent migrators until the current transaction ends ("" when the
// transaction's own lock already does, as BEGIN IMMEDIATE does in SQLite).
std::string_view migration_lock_sql(Backend backend);
std::string migrations_table_sql(Backend backend);

}  // namespace eskit::runtime::db::persistence
