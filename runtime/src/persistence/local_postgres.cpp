#include "eskit/runtime/db/local_postgres.hpp"

#include <fcntl.h>
#include <netinet/in.h>
#include <pwd.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <system_error>

extern char** environ;

namespace eskit::runtime::db {
namespace {

namespace fs = std::filesystem;

std::string read_file(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string tail(const std::string& text, std::size_t lines = 15) {
  std::size_t pos = text.size();
  for (std::size_t n = 0; n <= lines && pos != std::string::npos && pos > 0; ++n)
    pos = text.rfind('\n', pos - 1);
  return pos == std::string::npos ? text : text.substr(pos + 1);
}

bool running_as_root() { return geteuid() == 0; }

std::vector<std::string> as_server_user(std::vector<std::string> argv) {
  if (running_as_root()) argv.insert(argv.begin(), {"runuser", "-u", "postgres", "--"});
  return argv;
}

// Runs a program (no shell, so no quoting surprises) with stdout and stderr in `log`, which
// it replaces; returns the exit code, -1 when it could not run or was killed.
int run(const std::vector<std::string>& argv, const fs::path& log) {
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  pid_t pid = 0;
  const int rc = posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) return -1;
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

int free_loopback_port() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  socklen_t length = sizeof address;
  if (fd < 0 || bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    if (fd >= 0) close(fd);
    throw std::runtime_error("cannot find a free loopback port");
  }
  close(fd);
  return ntohs(address.sin_port);
}

bool port_taken(const std::string& server_log) {
  return server_log.find("could not bind") != std::string::npos ||
         server_log.find("Address already in use") != std::string::npos;
}

}  // namespace

fs::path LocalPostgres::default_bin_dir() {
  const char* configured = std::getenv("ESKIT_PG_BIN");
  return configured != nullptr && *configured != '\0' ? configured : "/usr/lib/postgresql/15/bin";
}

LocalPostgres::LocalPostgres(fs::path dir, fs::path bin_dir)
    : dir_(std::move(dir)), bin_dir_(std::move(bin_dir)) {
  for (const char* tool : {"initdb", "pg_ctl", "postgres", "psql"}) {
    const auto path = bin_dir_ / tool;
    if (access(path.c_str(), X_OK) != 0) {
      throw std::runtime_error(
          "a private PostgreSQL server needs " + path.string() +
          ", which is missing: install the Debian package postgresql-15 (scripts/setup does), "
          "or point ESKIT_PG_BIN at a directory holding initdb, pg_ctl, postgres and psql");
    }
  }
  const passwd* server_user = nullptr;
  if (running_as_root()) {
    server_user = getpwnam("postgres");
    if (server_user == nullptr) {
      throw std::runtime_error(
          "running as root, a private PostgreSQL server needs a 'postgres' user to run as (the "
          "Debian package postgresql-15 creates it)");
    }
  }
  std::error_code error;
  fs::create_directories(dir_, error);
  if (error || !fs::is_directory(dir_)) {
    throw std::runtime_error("cannot use " + dir_.string() + " for a PostgreSQL cluster: " +
                             (error ? error.message() : "not a directory"));
  }
  if (server_user != nullptr) {
    if (chown(dir_.c_str(), server_user->pw_uid, server_user->pw_gid) != 0) {
      throw std::runtime_error("cannot hand " + dir_.string() +
                               " to the postgres user: " + std::strerror(errno));
    }
  } else if (access(dir_.c_str(), W_OK | X_OK) != 0) {
    throw std::runtime_error("cannot use " + dir_.string() +
                             " for a PostgreSQL cluster: " + std::strerror(errno));
  }

  const auto log = dir_ / "initdb.log";
  if (run(as_server_user({(bin_dir_ / "initdb").string(), "-D", (dir_ / "data").string(), "-U",
                          std::string(user), "-A", "trust", "-E", "UTF8", "--no-locale",
                          "--no-sync"}),
          log) != 0) {
    std::string what = "initdb failed in " + dir_.string();
    if (server_user != nullptr) what += " (the postgres user must be able to reach it)";
    throw std::runtime_error(what + ":\n" + tail(read_file(log)));
  }
  start_server();
}

void LocalPostgres::start_server() {
  const auto server_log = dir_ / "server.log";
  const auto log = dir_ / "pg_ctl.log";
  // A port found free can be taken before the server binds it: then try another.
  for (int attempt = 1;; ++attempt) {
    port_ = free_loopback_port();
    std::error_code ignored;
    fs::remove(server_log, ignored);  // what is read below is this attempt's alone
    // TCP on loopback only: a unix socket would need a short path, and nothing needs it.
    // Durability off: the cluster is for tests and local runs, which must be fast.
    const std::string options = "-p " + std::to_string(port_) +
                                " -c listen_addresses=127.0.0.1 -c unix_socket_directories=''"
                                " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
                                " -c max_connections=200";
    // -w: pg_ctl returns once the server accepts connections, or fails when it exits.
    if (run(as_server_user({(bin_dir_ / "pg_ctl").string(), "-D", (dir_ / "data").string(), "-l",
                            server_log.string(), "-o", options, "-w", "-t", "60", "start"}),
            log) == 0) {
      running_ = true;
      return;
    }
    // It may still be starting (pg_ctl's wait timed out): nothing may outlive the failure.
    run(immediate_stop_command(), dir_ / "stop.log");
    const std::string server = read_file(server_log);
    if (attempt < 3 && port_taken(server)) continue;
    throw std::runtime_error("PostgreSQL did not start in " + dir_.string() + ": " +
                             tail(read_file(log), 2) + "server log:\n" + tail(server));
  }
}

void LocalPostgres::psql(std::string_view database, std::string_view sql) const {
  // A log per call: callers may run statements from several threads.
  static std::atomic<int> calls{0};
  const auto log = dir_ / ("psql-" + std::to_string(++calls) + ".log");
  const int rc = run({(bin_dir_ / "psql").string(), "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h",
                      "127.0.0.1", "-p", std::to_string(port_), "-U", std::string(user), "-d",
                      std::string(database), "-c", std::string(sql)},
                     log);
  const std::string output = read_file(log);
  std::error_code ignored;
  fs::remove(log, ignored);
  if (rc != 0)
    throw std::runtime_error("psql failed for '" + std::string(sql) + "':\n" + tail(output));
}

std::vector<std::string> LocalPostgres::immediate_stop_command() const {
  return as_server_user({(bin_dir_ / "pg_ctl").string(), "-D", (dir_ / "data").string(), "-m",
                         "immediate", "-s", "stop"});
}

void LocalPostgres::stop() noexcept {
  if (!running_) return;
  running_ = false;
  try {
    run(as_server_user({(bin_dir_ / "pg_ctl").string(), "-D", (dir_ / "data").string(), "-m",
                        "fast", "-w", "-s", "stop"}),
        dir_ / "pg_ctl.log");
  } catch (const std::exception&) {
    // Out of memory building the command: nothing better to do in a destructor's path.
  }
}

LocalPostgres::~LocalPostgres() { stop(); }

}  // namespace eskit::runtime::db
