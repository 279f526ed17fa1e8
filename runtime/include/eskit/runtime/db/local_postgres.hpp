#pragma once
// A PostgreSQL server of one's own, for the runtime's tests and `eskit run`: a fresh cluster
// (initdb) in a directory, served on a free loopback port and nowhere else (no unix socket),
// so the system cluster is never touched. Not part of eskit::runtime — services never start
// database servers — but its own library, eskit::local_postgres, with no dependencies.
//
// initdb and postgres refuse to run as root: as root the server runs as the `postgres` user
// (through runuser), and the directory is handed to that user.
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace eskit::runtime::db {

class LocalPostgres {
 public:
  // The server binaries: $ESKIT_PG_BIN if set, else Debian's PostgreSQL 15
  // (/usr/lib/postgresql/15/bin, package postgresql-15).
  static std::filesystem::path default_bin_dir();

  // Creates `dir` if needed, initdb's a cluster into dir/data (which must not exist yet),
  // starts the server and waits until it accepts connections; its log is dir/server.log.
  // Throws std::runtime_error saying what to do: which package or user is missing, or the
  // tail of the server's log when it did not come up.
  explicit LocalPostgres(std::filesystem::path dir,
                         std::filesystem::path bin_dir = default_bin_dir());
  // stop().
  ~LocalPostgres();
  LocalPostgres(const LocalPostgres&) = delete;
  LocalPostgres& operator=(const LocalPostgres&) = delete;

  int port() const { return port_; }
  // The superuser every connection uses; trust authentication on loopback, no password.
  static constexpr std::string_view user = "postgres";

  // Runs `sql` through psql against `database`, for what a transaction may not do (CREATE
  // DATABASE). Throws std::runtime_error with psql's output when it fails.
  void psql(std::string_view database, std::string_view sql) const;

  // `pg_ctl stop -m immediate` for this server as an argv, for a crash handler that may only
  // exec (it cannot call stop()).
  std::vector<std::string> immediate_stop_command() const;

  // Fast shutdown (pg_ctl stop -m fast), waiting for the server to exit; idempotent. The
  // directory and its data stay.
  void stop() noexcept;

 private:
  void start_server();

  std::filesystem::path dir_;
  std::filesystem::path bin_dir_;
  int port_ = 0;
  bool running_ = false;
};

}  // namespace eskit::runtime::db
