#pragma once
// The persistence module's only exceptions. Driver (SOCI, libpq, SQLite) exceptions never
// escape: they are translated into these, carrying which database, which statement and what
// the driver said, so an operator can act on a log line alone.
#include <stdexcept>
#include <string>
#include <string_view>

namespace eskit::runtime::db {

enum class ErrorKind {
  connection,  // cannot reach or lost the server; readiness should fail
  transient,   // serialization failure, deadlock, SQLite busy/locked: retry the unit of work
  constraint_violation,  // unique, foreign key, not null, check
  concurrency_conflict,  // optimistic concurrency: the row's version moved on
  invalid_statement,     // SQL the database rejects (syntax, unknown table) or wrong column types
  pool_exhausted,        // no connection became free within the acquire timeout
  migration,             // schema migrations refused to run
  usage,                 // the API was misused (e.g. statement after commit)
  other,
};

std::string_view to_string(ErrorKind kind) noexcept;

class DatabaseError : public std::runtime_error {
 public:
  DatabaseError(ErrorKind kind, std::string database, std::string statement, std::string message,
                std::string code = {});

  ErrorKind kind() const noexcept { return kind_; }
  bool is_transient() const noexcept { return kind_ == ErrorKind::transient; }
  // The redacted database description (no password), e.g. "sqlite:/var/lib/orders.db".
  const std::string& database() const noexcept { return database_; }
  // The statement's name (or its SQL when it has none); empty for connection-level errors.
  const std::string& statement() const noexcept { return statement_; }
  // What the driver (or eskit) said, without the context what() adds.
  const std::string& message() const noexcept { return message_; }
  // PostgreSQL SQLSTATE (e.g. "40001"), or "SQLITE_BUSY"-style codes for SQLite; may be empty.
  const std::string& code() const noexcept { return code_; }

 private:
  ErrorKind kind_;
  std::string database_;
  std::string statement_;
  std::string message_;
  std::string code_;
};

// An update or delete "where id = :id and version = :expected" matched no row: another unit
// of work changed (or removed) the entity since it was loaded. Reload and decide again.
class ConcurrencyConflict : public DatabaseError {
 public:
  using DatabaseError::DatabaseError;
};

class MigrationError : public DatabaseError {
 public:
  using DatabaseError::DatabaseError;
};

}  // namespace eskit::runtime::db
