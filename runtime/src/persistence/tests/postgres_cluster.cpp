#include "persistence/tests/postgres_cluster.hpp"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <filesystem>
#include <stdexcept>
#include <vector>

namespace eskit::runtime::db::testing {
namespace {

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

void arm_emergency_stop(std::vector<std::string> command) {
  emergency_stop_args = std::move(command);
  for (auto& a : emergency_stop_args) emergency_stop_argv.push_back(a.data());
  emergency_stop_argv.push_back(nullptr);
  for (int sig : {SIGSEGV, SIGABRT, SIGBUS, SIGFPE, SIGILL, SIGTERM, SIGINT})
    std::signal(sig, stop_server_and_die);
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
  char pattern[] = "/tmp/eskit-pg-XXXXXX";
  if (mkdtemp(pattern) == nullptr)
    throw std::runtime_error("cannot create a temp dir for the PostgreSQL cluster");
  dir_ = pattern;
  try {
    server_ = std::make_unique<LocalPostgres>(dir_);
    arm_emergency_stop(server_->immediate_stop_command());
    psql("postgres", "create database " + std::string(test_database_name));
  } catch (...) {
    stop();
    throw;
  }
}

std::string PostgresCluster::keywords(std::string_view database, std::string_view extra) const {
  std::string text = "host=127.0.0.1 port=" + std::to_string(port()) +
                     " user=" + std::string(LocalPostgres::user) +
                     " dbname=" + std::string(database);
  if (!extra.empty()) text += " " + std::string(extra);
  return text;
}

std::string PostgresCluster::uri(std::string_view database) const {
  return "postgresql://" + std::string(LocalPostgres::user) +
         "@127.0.0.1:" + std::to_string(port()) + "/" + std::string(database);
}

void PostgresCluster::stop() noexcept {
  server_.reset();
  emergency_stop_argv.clear();
  if (!dir_.empty()) {
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
    dir_.clear();
  }
}

PostgresCluster::~PostgresCluster() { stop(); }

}  // namespace eskit::runtime::db::testing
