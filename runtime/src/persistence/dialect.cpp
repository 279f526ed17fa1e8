#include "eskit/runtime/db/dialect.hpp"

#include "persistence/dialect_sql.hpp"

namespace eskit::runtime::db {

std::string_view Dialect::name() const {
  return backend_ == Backend::sqlite ? "sqlite" : "postgresql";
}

std::string_view Dialect::column_type(ColumnType type) const {
  const bool lite = backend_ == Backend::sqlite;
  switch (type) {
    case ColumnType::integer:
      return lite ? "integer" : "bigint";
    case ColumnType::integer32:
      return "integer";
    case ColumnType::real:
      return lite ? "real" : "double precision";
    case ColumnType::boolean:
      return lite ? "integer" : "boolean";
    case ColumnType::text:
      return "text";
    case ColumnType::timestamp:
      return lite ? "text" : "timestamptz";
  }
  return "text";
}

std::string_view Dialect::identity_primary_key() const {
  // SQLite: only "integer primary key" aliases the 64-bit rowid; AUTOINCREMENT forbids reuse
  // of deleted ids, which PostgreSQL identities never reuse either.
  return backend_ == Backend::sqlite ? "integer primary key autoincrement"
                                     : "bigint generated always as identity primary key";
}

std::string_view Dialect::now() const {
  // Same text shape as bound timestamps (see timestamp_text.hpp); SQLite's %f has milliseconds.
  return backend_ == Backend::sqlite ? "(strftime('%Y-%m-%d %H:%M:%f', 'now') || '000+00:00')"
                                     : "current_timestamp";
}

std::string Dialect::upsert(std::string_view table, std::span<const std::string_view> key_columns,
                            std::span<const std::string_view> other_columns) const {
  std::string names, placeholders, keys, updates;
  auto add = [&](std::string_view column) {
    if (!names.empty()) {
      names += ", ";
      placeholders += ", ";
    }
    names += column;
    placeholders += ':';
    placeholders += column;
  };
  for (auto k : key_columns) {
    add(k);
    if (!keys.empty()) keys += ", ";
    keys += k;
  }
  for (auto c : other_columns) {
    add(c);
    if (!updates.empty()) updates += ", ";
    updates += std::string(c) + " = excluded." + std::string(c);
  }
  std::string sql = "insert into " + std::string(table) + " (" + names + ") values (" +
                    placeholders + ") on conflict (" + keys + ") do ";
  sql += updates.empty() ? "nothing" : "update set " + updates;
  return sql;
}

namespace persistence {

std::string begin_transaction_sql(Backend backend, const TransactionOptions& options) {
  const bool read_only = options.access == TransactionOptions::Access::read_only;
  if (backend == Backend::sqlite) return read_only ? "begin deferred" : "begin immediate";
  std::string sql = "begin";
  if (options.isolation == TransactionOptions::Isolation::serializable)
    sql += " isolation level serializable";
  if (read_only) sql += " read only";
  return sql;
}

std::string_view session_setup_sql(Backend backend, bool sqlite_synchronous_full) {
  if (backend == Backend::postgresql) {
    // Timestamps are read back as text: a fixed zone and style make that text parseable.
    // Notices ("relation already exists, skipping") would go to the service's stderr.
    return "set time zone 'UTC'; set datestyle to 'ISO'; set client_min_messages to warning";
  }
  // journal_mode=WAL persists in the file; the others are per connection. Foreign keys are
  // off by default in SQLite, unlike every other database the generated DDL targets.
  return sqlite_synchronous_full
             ? "pragma journal_mode = wal; pragma foreign_keys = on; pragma synchronous = full"
             : "pragma journal_mode = wal; pragma foreign_keys = on; pragma synchronous = normal";
}

std::string_view migration_lock_sql(Backend backend) {
  // Transaction-scoped: released by commit or rollback, and by the server if the process dies.
  // The key is an arbitrary constant shared by every eskit service ("eskit" in ASCII).
  return backend == Backend::postgresql ? "select pg_advisory_xact_lock(435493849460)" : "";
}

std::string migrations_table_sql(Backend backend) {
  const Dialect dialect(backend);
  return "create table if not exists eskit_schema_migrations (version " +
         std::string(dialect.column_type(ColumnType::integer)) +
         " primary key, description text not null, checksum text not null, applied_at " +
         std::string(dialect.column_type(ColumnType::timestamp)) + " not null)";
}

}  // namespace persistence
}  // namespace eskit::runtime::db
