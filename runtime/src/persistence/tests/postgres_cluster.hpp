#pragma once
// A private PostgreSQL server for the tests (eskit::runtime::db::LocalPostgres in a temp dir),
// started on first use and shared by every test of the binary; stopped and removed at exit
// (including after failed tests and, best effort, after a crash). The system cluster is never
// touched.
#include <memory>
#include <string>
#include <string_view>

#include "eskit/runtime/db/local_postgres.hpp"

namespace eskit::runtime::db::testing {

class PostgresCluster {
 public:
  // Starts the cluster on first call. Throws std::runtime_error with what to do when the
  // server binaries are missing or the server does not come up; later calls rethrow it.
  static PostgresCluster& shared();

  // libpq keyword string for `database`, with extra keywords appended (e.g. options='...').
  std::string keywords(std::string_view database, std::string_view extra = {}) const;
  std::string uri(std::string_view database) const;
  int port() const { return server_->port(); }
  // Runs `sql` through psql against `database` (for what no transaction may do: CREATE DATABASE).
  void psql(std::string_view database, std::string_view sql) const { server_->psql(database, sql); }

  void stop() noexcept;
  ~PostgresCluster();

 private:
  PostgresCluster();

  std::string dir_;  // temp dir holding the cluster and its logs
  std::unique_ptr<LocalPostgres> server_;
};

// The database every test uses (each test works in a schema of its own).
inline constexpr std::string_view test_database_name = "eskit_test";

}  // namespace eskit::runtime::db::testing
