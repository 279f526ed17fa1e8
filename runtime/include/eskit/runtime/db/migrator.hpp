#pragma once
// Schema migrations from the generated DDL: versioned, applied in order at start-up, each in
// its own transaction, recorded in `eskit_schema_migrations` (version, description, checksum,
// applied_at). Re-running applies nothing; an applied migration whose text changed stops the
// service (the schema no longer matches the code); concurrent starts are serialised
// (PostgreSQL: transaction-scoped advisory lock; SQLite: BEGIN IMMEDIATE).
#include <cstdint>
#include <string>
#include <vector>

#include "eskit/runtime/db/database.hpp"

namespace eskit::runtime::db {

struct Migration {
  std::int64_t version;  // positive, unique; applied in increasing order
  std::string description;
  std::string sql;  // one or more statements separated by ';'
};

struct MigrationReport {
  std::vector<std::int64_t> applied;  // by this run, in order
  std::size_t already_applied = 0;    // known migrations found recorded
};

class Migrator {
 public:
  // Throws MigrationError for non-positive or duplicate versions.
  explicit Migrator(std::vector<Migration> migrations);

  // Applies what is pending. Throws MigrationError (checksum changed, a migration failed:
  // its version, description and the driver's message) and leaves later ones unapplied.
  MigrationReport run(const Database& database) const;

  // The checksum recorded for a migration's SQL (line endings normalised).
  static std::string checksum(std::string_view sql);

 private:
  std::vector<Migration> migrations_;
};

}  // namespace eskit::runtime::db
