#pragma once
// The PostgreSQL server of one `eskit run`: a private cluster whose databases (one per context)
// the services reach through ESKIT_DB_URL. The system cluster is never touched.
#include <filesystem>
#include <memory>
#include <string>

namespace eskit::runtime::db {
class LocalPostgres;
}

namespace eskit::run {

class PostgresCluster {
 public:
  // initdb + pg_ctl start of a private PostgreSQL 15 cluster under `dir` (created if needed;
  // it must not hold a cluster yet), listening on a free loopback port only. As root the
  // server runs as the `postgres` user (runuser), `dir` handed to it. Throws
  // std::runtime_error saying what to do: the Debian package postgresql-15 is missing
  // (binaries in /usr/lib/postgresql/15/bin, or $ESKIT_PG_BIN), `dir` is unusable, or the
  // tail of the server log when it did not start.
  static std::unique_ptr<PostgresCluster> start(const std::filesystem::path& dir);

  // Creates database `name` (letters, digits, '_' and '-'; case kept) and returns
  // postgresql://postgres@127.0.0.1:PORT/name?connect_timeout=10, usable as ESKIT_DB_URL. Throws
  // std::invalid_argument for another name, std::runtime_error when it cannot be created
  // (e.g. it exists).
  std::string create_database(const std::string& name);

  // pg_ctl stop -m fast: open connections are closed, the data stays in `dir`.
  ~PostgresCluster();
  PostgresCluster(const PostgresCluster&) = delete;
  PostgresCluster& operator=(const PostgresCluster&) = delete;

 private:
  explicit PostgresCluster(std::unique_ptr<runtime::db::LocalPostgres> server);

  std::unique_ptr<runtime::db::LocalPostgres> server_;
};

}  // namespace eskit::run
