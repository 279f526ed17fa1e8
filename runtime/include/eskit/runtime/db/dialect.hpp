#pragma once
// Every difference between SQLite and PostgreSQL that generated code or the runtime needs,
// in one place. Generated DDL and statements ask the dialect instead of testing the backend.
#include <span>
#include <string>
#include <string_view>

#include "eskit/runtime/db/statement.hpp"
#include "eskit/runtime/db/value.hpp"

namespace eskit::runtime::db {

enum class Backend { sqlite, postgresql };

class Dialect {
 public:
  constexpr explicit Dialect(Backend backend) : backend_(backend) {}

  Backend backend() const { return backend_; }
  std::string_view name() const;

  // Of a statement written once per backend, the one for this backend. Generated code writes
  // two where their SQL differs: a new id from a sequence on PostgreSQL (replicas create at
  // the same moment) and max + 1 on SQLite (one writer at a time); a projection's rows read
  // `for update` on PostgreSQL (replicas projecting into one row take turns) and plainly on
  // SQLite, whose write transaction already serialises them.
  const Statement& choose(const Statement& sqlite, const Statement& postgresql) const {
    return backend_ == Backend::postgresql ? postgresql : sqlite;
  }

  // Column type for values read and bound as `type` (booleans are integers 0/1 in SQLite;
  // timestamps are ISO-8601 UTC text there, timestamptz in PostgreSQL).
  std::string_view column_type(ColumnType type) const;
  // A 64-bit, database-assigned primary key column definition (without the column name).
  std::string_view identity_primary_key() const;
  // The current time as a SQL expression with the same representation bound timestamps have.
  std::string_view now() const;

  // "insert into t (k.., c..) values (:k.., :c..) on conflict (k..) do update set c = excluded.c"
  // Both backends share the syntax (SQLite >= 3.24); kept here so a third dialect can differ.
  std::string upsert(std::string_view table, std::span<const std::string_view> key_columns,
                     std::span<const std::string_view> other_columns) const;

  friend bool operator==(Dialect, Dialect) = default;

 private:
  Backend backend_;
};

}  // namespace eskit::runtime::db
