#pragma once
// What a scenario may do to a running system: reach it over HTTP, sign tokens it accepts, and
// inject the faults the write-ups demonstrate by hand (stop, kill, restart, slow a service
// down, take the broker away, change a setting, add a replica). The supervisor implements it
// over real processes; the scenario player only ever sees this interface.
//
// Every operation blocks until its effect holds (a started service answers /ready, a stopped
// one has exited) or throws std::runtime_error saying what did not happen within its deadline.
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace eskit::run {

class SystemControl {
 public:
  virtual ~SystemControl() = default;

  // The gateway's base URL (http://127.0.0.1:PORT), where scenarios send their calls.
  [[nodiscard]] virtual std::string gateway_url() const = 0;
  // One context's own base URL, bypassing the gateway (its first replica).
  [[nodiscard]] virtual std::string service_url(std::string_view context) const = 0;
  // The contexts of the model, in model order.
  [[nodiscard]] virtual std::vector<std::string> contexts() const = 0;
  // The Kafka bootstrap address every service uses.
  [[nodiscard]] virtual std::string bootstrap_servers() const = 0;
  // A bearer token the services and the gateway accept: signed with this run's key.
  [[nodiscard]] virtual std::string token(std::string_view subject,
                                          const std::vector<std::string>& roles) const = 0;

  // SIGTERM to every replica of the context, then wait for them to exit (graceful stop).
  virtual void stop(std::string_view context) = 0;
  // SIGKILL to every replica: no shutdown code runs, as in a crash.
  virtual void kill(std::string_view context) = 0;
  // Start a stopped or killed context again (same database), wait for /ready.
  virtual void start(std::string_view context) = 0;
  // stop + start.
  virtual void restart(std::string_view context) = 0;
  // Run `replicas` processes of the context on the same database and consumer group (1 and
  // more); waits until the new ones are ready.
  virtual void scale(std::string_view context, int replicas) = 0;
  // Every HTTP request to the context (through the gateway or a sync call) waits `delay`
  // before it is forwarded; zero restores normal speed.
  virtual void slow(std::string_view context, std::chrono::milliseconds delay) = 0;
  // Set one of the context's settings (an ESKIT_* variable name, e.g.
  // ESKIT_CATCHER_SERVICE_AREA) for its next start; restart to apply. An empty value removes
  // the override.
  virtual void configure(std::string_view context, std::string_view variable,
                         std::string_view value) = 0;
  // The broker stops answering (connections are refused) / answers again; what it held is
  // kept, as a real cluster's disks would keep it.
  virtual void broker_down() = 0;
  virtual void broker_up() = 0;
  // Waits until the system is quiet: every outbox is empty and every consumer has caught up
  // (read from each service's /metrics), so "exactly once" can be judged without sleeping.
  virtual void settle(std::chrono::milliseconds deadline) = 0;
  // How many events each running replica of the context has handled through its inboxes
  // since it started (eskit_inbox_handled_total), by replica name: dashboard, dashboard#2.
  [[nodiscard]] virtual std::vector<std::pair<std::string, std::int64_t>> handled_by_replica(
      std::string_view context) = 0;
};

}  // namespace eskit::run
