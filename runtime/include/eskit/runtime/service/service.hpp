#pragma once
// A service process: what every generated bounded-context service does around its own code.
// It declares the standard settings, loads the configuration, opens and migrates the
// database (with the outbox and inbox tables), starts the outbox relay, one inbox consumer
// per subscription and the HTTP server with /health, /ready (database, relay, broker,
// consumers) and /metrics, and stops them in the order that loses nothing: stop taking
// requests, finish the ones in flight, stop consuming, let the relay publish what was
// committed, close the database.
//
//   int main(int argc, char** argv) {
//     return eskit::runtime::service::Service::main(payment::definition(), argc, argv);
//   }
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "eskit/runtime/config/config.hpp"
#include "eskit/runtime/config/schema.hpp"
#include "eskit/runtime/db/database.hpp"
#include "eskit/runtime/db/migrator.hpp"
#include "eskit/runtime/http/metrics.hpp"
#include "eskit/runtime/http/router.hpp"
#include "eskit/runtime/log/logger.hpp"
#include "eskit/runtime/messaging/inbox_consumer.hpp"

namespace eskit::runtime::service {

class Service;

struct Definition {
  // The bounded context, e.g. "payment": names the logger, the Kafka client and consumer
  // groups, the metrics labels and the default SQLite file.
  std::string name;
  // The service's own schema (generated DDL) in the dialect of the database the
  // configuration names; none when empty. Versions from outbox_first_version on are the
  // runtime's (outbox and inbox tables).
  std::function<std::vector<db::Migration>(db::Dialect)> migrations;
  // Settings of the service's own (sync-call URLs, business parameters), declared next to the
  // standard ones (standard_settings.md lists those).
  std::function<void(config::Schema&)> declare_settings;
  // Called once by start(), after the database is migrated: adds routes and subscriptions.
  std::function<void(Service&)> wire;
};

// The runtime's migrations are numbered from here, out of the way of a service's own.
inline constexpr std::int64_t outbox_first_version = 1'000'000;

class Service {
 public:
  // The standard settings (http.*, db.*, kafka.*, outbox.*, inbox.*, log.*, shutdown.*) and
  // the definition's own.
  static config::Schema schema(const Definition& definition);

  // The whole life of a service process: command line (--config FILE, --print-config,
  // --help), configuration (exit 78 with every problem listed), start, serve until SIGINT
  // or SIGTERM, graceful stop. Returns the process's exit status.
  static int main(Definition definition, int argc, char** argv);

  // `config` must come from schema(definition). Log lines go to `sink`.
  Service(Definition definition, config::Config config,
          std::shared_ptr<log::Sink> sink = log::stdout_sink());
  ~Service();  // stop()
  Service(const Service&) = delete;
  Service& operator=(const Service&) = delete;

  // Opens and migrates the database, wires, starts relay, consumers and server. Returns once
  // the server listens. Throws std::exception (with an operator-readable message) when any
  // part cannot start; what started is stopped again.
  void start();
  // Graceful, in the order described above, within shutdown.grace. Idempotent.
  void stop();

  // The bound HTTP port (the ephemeral one when http.port is 0); 0 before start().
  [[nodiscard]] std::uint16_t port() const noexcept;

  // For wire() and for handlers.
  [[nodiscard]] const std::string& name() const noexcept;
  [[nodiscard]] const config::Config& config() const noexcept;
  [[nodiscard]] const db::Database& database() const;
  [[nodiscard]] log::Logger& logger() noexcept;
  [[nodiscard]] http::MetricsRegistry& metrics() noexcept;
  // Routes can be added only inside wire().
  [[nodiscard]] http::Router& router();
  // Handles `topics` in a consumer group of its own ("<service>.<subscription>"), each event
  // once (messaging::InboxConsumer). Only inside wire(). Options not given come from the
  // inbox.* settings.
  void subscribe(const std::string& subscription, std::vector<std::string> topics,
                 messaging::InboxConsumer::Handler handler,
                 std::optional<messaging::InboxOptions> options = std::nullopt);
  // The inbox.* settings as InboxOptions, for a subscription that changes only some of them.
  [[nodiscard]] const messaging::InboxOptions& inbox_settings() const noexcept;
  // Call after a commit that appended to the outbox: the relay publishes at once instead of
  // at its next poll. Cheap, never blocks.
  void events_committed() noexcept;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace eskit::runtime::service
