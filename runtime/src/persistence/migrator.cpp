#include "eskit/runtime/db/migrator.hpp"

#include <algorithm>
#include <cstdio>
#include <map>
#include <optional>

#include "eskit/runtime/db/retry.hpp"
#include "persistence/dialect_sql.hpp"

namespace eskit::runtime::db {
namespace {

constexpr Statement select_applied{
    "eskit_schema_migrations.select",
    "select version, checksum from eskit_schema_migrations order by version"};
constexpr Statement record_applied{"eskit_schema_migrations.insert",
                                   "insert into eskit_schema_migrations (version, description, "
                                   "checksum, applied_at) values (:v, :d, :c, :t)"};

std::string label(const Migration& m) {
  return "migration " + std::to_string(m.version) + " (" + m.description + ")";
}

[[noreturn]] void refuse(const Database& db, const std::string& statement, const std::string& why,
                         const std::string& code = {}) {
  throw MigrationError(ErrorKind::migration, db.description(), statement, why, code);
}

}  // namespace

std::string Migrator::checksum(std::string_view sql) {
  // FNV-1a detects edits, which is all this is for; "\r\n" counts as "\n" so a checkout with
  // Windows line endings does not look like a changed migration.
  std::uint64_t hash = 14695981039346656037ULL;
  for (std::size_t i = 0; i < sql.size(); ++i) {
    if (sql[i] == '\r' && i + 1 < sql.size() && sql[i + 1] == '\n') continue;
    hash ^= static_cast<unsigned char>(sql[i]);
    hash *= 1099511628211ULL;
  }
  char text[32];
  std::snprintf(text, sizeof text, "fnv1a64:%016llx", static_cast<unsigned long long>(hash));
  return text;
}

Migrator::Migrator(std::vector<Migration> migrations) : migrations_(std::move(migrations)) {
  std::sort(migrations_.begin(), migrations_.end(),
            [](const Migration& a, const Migration& b) { return a.version < b.version; });
  for (std::size_t i = 0; i < migrations_.size(); ++i) {
    if (migrations_[i].version <= 0) {
      throw MigrationError(ErrorKind::migration, {}, label(migrations_[i]),
                           "migration versions must be positive");
    }
    if (i > 0 && migrations_[i].version == migrations_[i - 1].version) {
      throw MigrationError(
          ErrorKind::migration, {}, label(migrations_[i]),
          "two migrations share version " + std::to_string(migrations_[i].version));
    }
  }
}

MigrationReport Migrator::run(const Database& db) const {
  MigrationReport report;
  bool first_pass = true;
  // One transaction per migration, each taking the migration lock and re-reading what is
  // applied: a concurrent instance that got the lock first has done the work, and this one
  // sees it recorded.
  for (;;) {
    auto uow = with_retry([&] { return db.begin(); });
    if (const auto lock = persistence::migration_lock_sql(db.backend()); !lock.empty()) {
      uow.execute_script(Statement("eskit_schema_migrations.lock", lock));
    }
    const auto table = persistence::migrations_table_sql(db.backend());
    uow.execute_script(Statement("eskit_schema_migrations.create", table));

    std::map<std::int64_t, std::string> applied;
    for (auto& [version, sum] : uow.query<std::int64_t, std::string>(select_applied))
      applied[version] = sum;

    const Migration* pending = nullptr;
    std::size_t known_applied = 0;
    for (const auto& m : migrations_) {
      const auto found = applied.find(m.version);
      if (found == applied.end()) {
        if (pending == nullptr) pending = &m;
        continue;
      }
      ++known_applied;
      if (found->second != checksum(m.sql)) {
        refuse(db, label(m),
               "was applied with checksum " + found->second + " but its SQL now has checksum " +
                   checksum(m.sql) +
                   ": an applied migration must never change; restore its text and add a new "
                   "migration instead");
      }
      if (pending != nullptr) {
        refuse(db, label(*pending),
               "is not applied but the later migration " + std::to_string(m.version) +
                   " is: migrations must be added with versions above every applied one");
      }
    }
    if (first_pass) report.already_applied = known_applied;
    first_pass = false;
    if (pending == nullptr) {
      uow.commit();
      return report;
    }

    try {
      uow.execute_script(Statement(label(*pending), pending->sql));
    } catch (const DatabaseError& e) {
      refuse(db, label(*pending), "failed, nothing of it was applied: " + e.message(), e.code());
    }
    uow.execute(record_applied, pending->version, pending->description, checksum(pending->sql),
                std::chrono::system_clock::now());
    uow.commit();
    report.applied.push_back(pending->version);
  }
}

}  // namespace eskit::runtime::db
