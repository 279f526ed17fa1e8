#include "persistence/tests/postgres_cluster.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <pwd.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <thread>
#include <vector>

#include "eskit/runtime/db/database.hpp"
#include "eskit/runtime/db/error.hpp"

extern char** environ;

namespace eskit::runtime::db::testing {
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

// initdb and postgres refuse to run as root: as root, run them as the postgres user.
bool running_as_root() { return geteuid() == 0; }

std::vector<std::string> as_server_user(std::vector<std::string> argv) {
  if (running_as_root()) argv.insert(argv.begin(), {"runuser", "-u", "postgres", "--"});
  return argv;
}

// Runs a program (no shell, so no quoting surprises) with stdout and stderr appended to `log`.
int run(const std::vector<std::string>& argv, const std::string& log) {
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
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

// ---- crash cleanup: a fatal signal stops the server with only async-signal-safe calls ----
std::vector<std::string> emergency_stop_args;
std::vector<char*> emergency_stop_argv;

extern "C" void stop_server_and_die(int signal_number) {
  if (!emergency_stop_argv.empty()) {
    const pid_t pid = fork();
    if (pid == 0) {
      execvp(emergency_stop_argv[0], emergency_stop_argv.data());
      _exit(127);
    }
    if (pid > 0) waitpid(pid, nullptr, 0);
  }
  std::signal(signal_number, SIG_DFL);
  std::raise(signal_number);
}

// Stops the shared cluster after the last test, whatever the tests' results.
class ClusterEnvironment : public ::testing::Environment {
 public:
  void TearDown() override;
};

std::unique_ptr<PostgresCluster>& instance() {
  static std::unique_ptr<PostgresCluster> cluster;
  return cluster;
}
std::string& start_failure() {
  static std::string failure;
  return failure;
}

[[maybe_unused]] ::testing::Environment* const environment =
    ::testing::AddGlobalTestEnvironment(new ClusterEnvironment);

void ClusterEnvironment::TearDown() { instance().reset(); }

}  // namespace

PostgresCluster& PostgresCluster::shared() {
  auto& cluster = instance();
  if (cluster) return *cluster;
  if (!start_failure().empty()) throw std::runtime_error(start_failure());
  try {
    cluster.reset(new PostgresCluster());
  } catch (const std::exception& e) {
    start_failure() = e.what();
    throw;
  }
  return *cluster;
}

PostgresCluster::PostgresCluster() {
  const char* configured = std::getenv("ESKIT_PG_BIN");
  bin_dir_ = configured != nullptr ? configured : "/usr/lib/postgresql/15/bin";
  for (const char* tool : {"initdb", "pg_ctl", "postgres", "psql"}) {
    if (access((fs::path(bin_dir_) / tool).c_str(), X_OK) != 0) {
      throw std::runtime_error(
          "PostgreSQL tests need the server binaries, but " + (fs::path(bin_dir_) / tool).string() +
          " is missing: run scripts/setup (Debian package 'postgresql'), or point "
          "ESKIT_PG_BIN at a directory holding initdb, pg_ctl, postgres and psql");
    }
  }
  if (running_as_root() && getpwnam("postgres") == nullptr) {
    throw std::runtime_error(
        "running as root, the PostgreSQL tests need a 'postgres' user to run the server as");
  }
  char pattern[] = "/tmp/eskit-pg-XXXXXX";
  if (mkdtemp(pattern) == nullptr)
    throw std::runtime_error("cannot create a temp dir for the PostgreSQL cluster");
  dir_ = pattern;
  try {
    start();
  } catch (...) {
    stop();
    throw;
  }
}

void PostgresCluster::start() {
  if (running_as_root()) {
    const passwd* user = getpwnam("postgres");
    if (chown(dir_.c_str(), user->pw_uid, user->pw_gid) != 0)
      throw std::runtime_error("cannot chown " + dir_);
  }
  const std::string data = dir_ + "/data";
  const std::string log = dir_ + "/setup.log";
  const std::string server_log = dir_ + "/server.log";
  if (run(as_server_user({bin_dir_ + "/initdb", "-D", data, "-U", "postgres", "-A", "trust", "-E",
                          "UTF8", "--no-locale", "--no-sync"}),
          log) != 0) {
    throw std::runtime_error("initdb failed:\n" + tail(read_file(log)));
  }
  emergency_stop_args =
      as_server_user({bin_dir_ + "/pg_ctl", "-D", data, "-m", "immediate", "-s", "stop"});
  for (auto& a : emergency_stop_args) emergency_stop_argv.push_back(a.data());
  emergency_stop_argv.push_back(nullptr);
  for (int sig : {SIGSEGV, SIGABRT, SIGBUS, SIGFPE, SIGILL, SIGTERM, SIGINT})
    std::signal(sig, stop_server_and_die);

  // A port found free can be taken before the server binds it: then try another.
  for (int attempt = 1;; ++attempt) {
    port_ = free_loopback_port();
    // Durability settings off: a throwaway cluster, and the tests stay fast.
    const std::string options =
        "-p " + std::to_string(port_) + " -k " + dir_ +
        " -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off"
        " -c full_page_writes=off -c max_connections=100";
    if (run(as_server_user(
                {bin_dir_ + "/pg_ctl", "-D", data, "-l", server_log, "-o", options, "-W", "start"}),
            log) != 0) {
      throw std::runtime_error("pg_ctl start failed:\n" + tail(read_file(log)));
    }
    running_ = true;

    // Poll until the server accepts a query, backing off, within a deadline.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    auto delay = std::chrono::milliseconds(5);
    std::string last_error;
    bool port_taken = false;
    for (;;) {
      try {
        DatabaseOptions one;
        one.pool_size = 1;
        Database::open(keywords("postgres", "connect_timeout=2"), one).ping();
        break;
      } catch (const DatabaseError& e) {
        last_error = e.what();
      }
      const std::string server = read_file(server_log);
      if (server.find("could not bind") != std::string::npos ||
          server.find("Address already in use") != std::string::npos) {
        port_taken = true;
        break;
      }
      if (server.find("FATAL") != std::string::npos &&
          server.find("the database system is starting up") == std::string::npos) {
        throw std::runtime_error("PostgreSQL failed to start:\n" + tail(server));
      }
      if (std::chrono::steady_clock::now() > deadline) {
        throw std::runtime_error("PostgreSQL not ready within 30 s; last error: " + last_error +
                                 "\nserver log:\n" + tail(server));
      }
      std::this_thread::sleep_for(delay);
      delay = std::min(delay * 2, std::chrono::milliseconds(200));
    }
    if (!port_taken) break;
    stop_server();
    if (attempt == 3) throw std::runtime_error("PostgreSQL could not bind a free port three times");
  }
  psql("postgres", "create database " + std::string(test_database_name));
}

std::string PostgresCluster::keywords(std::string_view database, std::string_view extra) const {
  std::string text = "host=127.0.0.1 port=" + std::to_string(port_) +
                     " user=postgres dbname=" + std::string(database);
  if (!extra.empty()) text += " " + std::string(extra);
  return text;
}

std::string PostgresCluster::uri(std::string_view database) const {
  return "postgresql://postgres@127.0.0.1:" + std::to_string(port_) + "/" + std::string(database);
}

void PostgresCluster::psql(std::string_view database, std::string_view sql) const {
  const std::string log = dir_ + "/setup.log";
  if (run({bin_dir_ + "/psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p",
           std::to_string(port_), "-U", "postgres", "-d", std::string(database), "-c",
           std::string(sql)},
          log) != 0) {
    throw std::runtime_error("psql failed for '" + std::string(sql) + "':\n" +
                             tail(read_file(log)));
  }
}

void PostgresCluster::stop_server() noexcept {
  if (!running_) return;
  run(as_server_user(
          {bin_dir_ + "/pg_ctl", "-D", dir_ + "/data", "-m", "fast", "-w", "-s", "stop"}),
      dir_ + "/setup.log");
  running_ = false;
}

void PostgresCluster::stop() noexcept {
  stop_server();
  emergency_stop_argv.clear();
  if (!dir_.empty()) {
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
    dir_.clear();
  }
}

PostgresCluster::~PostgresCluster() { stop(); }

}  // namespace eskit::runtime::db::testing
