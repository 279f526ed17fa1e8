#pragma once
// A private PostgreSQL server for the tests: its own cluster in a temp dir, on a free loopback
// port, started on first use and shared by every test of the binary; stopped and removed at
// exit (including after failed tests and, best effort, after a crash). The system cluster is
// never touched.
#include <string>
#include <string_view>

namespace eskit::runtime::db::testing {

class PostgresCluster {
 public:
  // Starts the cluster on first call. Throws std::runtime_error with what to do when the
  // server binaries are missing or the server does not come up; later calls rethrow it.
  static PostgresCluster& shared();

  // libpq keyword string for `database`, with extra keywords appended (e.g. options='...').
  std::string keywords(std::string_view database, std::string_view extra = {}) const;
  std::string uri(std::string_view database) const;
  int port() const { return port_; }
  // Runs `sql` through psql against `database` (for what no transaction may do: CREATE DATABASE).
  void psql(std::string_view database, std::string_view sql) const;

  void stop() noexcept;
  ~PostgresCluster();

 private:
  PostgresCluster();
  void start();
  void stop_server() noexcept;

  std::string bin_dir_;
  std::string dir_;  // temp dir: data/, server.log, the unix socket
  int port_ = 0;
  bool running_ = false;
};

// The database every test uses (each test works in a schema of its own).
inline constexpr std::string_view test_database_name = "eskit_test";

}  // namespace eskit::runtime::db::testing
