#pragma once
// Runs several ';'-separated statements without parameters through the driver's own script
// execution (sqlite3_exec, PQexec), which knows its SQL's quoting rules (PostgreSQL dollar
// quotes, SQLite trigger bodies) better than any splitter of ours would.
#include <soci/session.h>

#include <string_view>

#include "eskit/runtime/db/dialect.hpp"

namespace eskit::runtime::db::persistence {

void execute_native_script(soci::session& session, Backend backend, std::string_view database,
                           std::string_view statement_name, std::string_view sql);

// Whether the connection is inside a transaction (a failed COMMIT may or may not have ended it).
bool in_transaction(soci::session& session, Backend backend) noexcept;

}  // namespace eskit::runtime::db::persistence
