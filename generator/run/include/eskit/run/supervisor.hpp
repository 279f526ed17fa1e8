#pragma once
// A generated system as local processes (docs/run.md): the broker, one process per context
// replica behind a stable loopback proxy, and the gateway in front, all on one random HS256
// key per run. Implements SystemControl over them for scenarios and for `eskit run`.
#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "eskit/run/console.hpp"
#include "eskit/run/system_control.hpp"
#include "eskit/run/system_plan.hpp"

namespace eskit::run {

struct SupervisorOptions {
  // Databases, logs, the broker's address file; must exist. Each process logs to
  // <state_dir>/<name>.log (replicas: <context>#2.log), appended across restarts.
  std::filesystem::path state_dir;
  std::filesystem::path broker;    // eskit-broker
  std::filesystem::path gateway;   // eskit-gateway
  std::uint16_t gateway_port = 0;  // 0: any free port
  // Contexts with `storage: postgresql` get a database on a private cluster in
  // <state_dir>/postgres; the others stay on SQLite files <state_dir>/<context>.db.
  bool postgres = false;
  std::map<std::string, int> replicas;  // a context not named runs one
  // context → ESKIT_* variable → value, above everything else (SystemControl::configure).
  std::map<std::string, std::map<std::string, std::string>> config;
  std::chrono::milliseconds ready_deadline{60'000};
  // After SIGTERM, how long a process may take before SIGKILL (services' own grace is 10 s).
  std::chrono::milliseconds stop_grace{15'000};
};

// One running process, for the summary printed at start.
struct ProcessInfo {
  std::string name;  // caller, caller#2, broker, gateway
  std::string url;   // the stable proxy URL for services, the gateway's URL, the broker address
  std::vector<pid_t> pids;
};

class Supervisor final : public SystemControl {
 public:
  // Nothing runs until start().
  Supervisor(SystemPlan plan, SupervisorOptions options, Console& console);
  // shutdown() if still running.
  ~Supervisor() override;
  Supervisor(const Supervisor&) = delete;
  Supervisor& operator=(const Supervisor&) = delete;

  // Broker, every context's replicas, then the gateway; returns once all answer /ready.
  // Throws std::runtime_error naming what did not start, with the tail of its log.
  void start();
  // SIGTERM to the services, then the gateway, then the broker; SIGKILL after stop_grace.
  void shutdown();
  // From a signal thread: waits in progress give up (throwing), so a Ctrl-C during start-up
  // does not sit out a 60 s deadline.
  void interrupt();
  // A second Ctrl-C: SIGKILL to everything at once.
  void kill_all();

  [[nodiscard]] std::vector<ProcessInfo> processes() const;
  // The tail of every process's log, for a failed scenario.
  [[nodiscard]] std::string log_tails() const;

  // SystemControl
  [[nodiscard]] std::string gateway_url() const override;
  // The first running replica's own URL; the proxy's when none runs (so a call is refused,
  // as it would be by a stopped service).
  [[nodiscard]] std::string service_url(std::string_view context) const override;
  [[nodiscard]] std::vector<std::string> contexts() const override;
  [[nodiscard]] std::string bootstrap_servers() const override;
  [[nodiscard]] std::string token(std::string_view subject,
                                  const std::vector<std::string>& roles) const override;
  void stop(std::string_view context) override;
  void kill(std::string_view context) override;
  void start(std::string_view context) override;
  void restart(std::string_view context) override;
  void scale(std::string_view context, int replicas) override;
  void slow(std::string_view context, std::chrono::milliseconds delay) override;
  void configure(std::string_view context, std::string_view variable,
                 std::string_view value) override;
  void broker_down() override;
  void broker_up() override;
  // Quiet means: every outbox backlog 0, every consumer lag 0 (for a partition, the lowest a
  // replica reports: one that lost the partition in a rebalance keeps its last sample), and no
  // published/handled counter moved, all held for longer than the inbox consumers' lag
  // sampling interval (5 s), so every lag read is fresh.
  void settle(std::chrono::milliseconds deadline) override;
  [[nodiscard]] std::vector<std::pair<std::string, std::int64_t>> handled_by_replica(
      std::string_view context) override;

 private:
  struct Replica;
  struct Service;
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace eskit::run
