#include "eskit/runtime/service/service.hpp"

#include <pthread.h>

#include <CLI/CLI.hpp>
#include <csignal>
#include <cstdlib>
#include <iostream>
#include <stdexcept>

#include "eskit/runtime/config/load.hpp"
#include "eskit/runtime/config/problem.hpp"
#include "eskit/runtime/http/server.hpp"
#include "eskit/runtime/messaging/outbox.hpp"
#include "eskit/runtime/messaging/relay.hpp"
#include "service/standard_settings.hpp"

namespace eskit::runtime::service {

struct Service::Impl {
  Definition definition;
  config::Config config;
  log::Logger logger;
  // Read in the constructor, so a wrong value is a configuration error (exit 78) before
  // anything starts.
  http::ServerOptions http_options;
  messaging::RelayOptions relay_settings;
  messaging::InboxOptions inbox_defaults;
  std::shared_ptr<http::MetricsRegistry> metrics = std::make_shared<http::MetricsRegistry>();
  std::shared_ptr<http::Readiness> readiness = std::make_shared<http::Readiness>();
  std::optional<db::Database> database;
  http::Router router;
  bool wiring = false;
  struct Subscription {
    std::string name;
    std::vector<std::string> topics;
    messaging::InboxConsumer::Handler handler;
    messaging::InboxOptions options;
  };
  std::vector<Subscription> subscriptions;
  std::unique_ptr<messaging::Relay> relay;
  std::vector<std::unique_ptr<messaging::InboxConsumer>> consumers;
  std::unique_ptr<http::Server> server;
  bool started = false;

  Impl(Definition d, config::Config c, std::shared_ptr<log::Sink> sink)
      : definition(std::move(d)),
        config(std::move(c)),
        logger(definition.name, log_level(config), std::move(sink)),
        http_options(server_options(config)),
        relay_settings(relay_options(config)),
        inbox_defaults(inbox_options(config)) {
    relay_settings.name = definition.name;
  }

  kafka::ClientOptions kafka_client() const {
    kafka::ClientOptions options;
    options.bootstrap_servers = config.string(setting::kafka_bootstrap_servers);
    options.client_id = config.string(setting::kafka_client_id);
    return options;
  }

  void open_database() {
    db::DatabaseOptions options;
    options.pool_size = static_cast<std::size_t>(config.integer(setting::db_pool_size));
    database = db::Database::open(config.string(setting::db_url), options);
    std::vector<db::Migration> migrations;
    if (definition.migrations) migrations = definition.migrations(database->dialect());
    for (auto& migration : messaging::Outbox::migrations(database->dialect(), outbox_first_version))
      migrations.push_back(std::move(migration));
    const auto report = db::Migrator(std::move(migrations)).run(*database);
    logger.info("database ready", {{"database", database->description()},
                                   {"migrationsApplied", report.applied.size()},
                                   {"migrationsKnown", report.already_applied}});
  }

  void start_messaging() {
    relay = std::make_unique<messaging::Relay>(*database, kafka_client(), relay_settings,
                                               metrics.get());
    relay->start();
    readiness->add("relay", relay->readiness_check());
    for (auto& subscription : subscriptions) {
      kafka::ConsumerOptions consumer;
      consumer.client = kafka_client();
      consumer.group_id = definition.name + "." + subscription.name;
      consumer.session_timeout = config.duration(setting::kafka_session_timeout);
      consumer.on_error = [this, group = consumer.group_id](const kafka::KafkaError& error) {
        logger.warn("Kafka consumer error", {{"group", group}, {"error", error.what()}});
      };
      consumers.push_back(std::make_unique<messaging::InboxConsumer>(
          *database, std::move(consumer), subscription.topics, subscription.handler,
          subscription.options, metrics.get()));
      consumers.back()->start();
    }
  }

  void start_server() {
    readiness->add("database", [db = *database]() {
      try {
        db.ping();
        return http::CheckResult::healthy();
      } catch (const std::exception& e) {
        return http::CheckResult::failing(e.what());
      }
    });
    auto options = http_options;
    options.error_log = [this](std::string_view line) { logger.error(line); };
    server =
        std::make_unique<http::Server>(std::move(router), std::move(options), metrics, readiness);
    server->start();
  }

  void stop() {
    const auto grace = config.duration(setting::shutdown_grace);
    // New requests are refused first; consumers next, so no handler appends to the outbox
    // after the relay's last round; the relay last, publishing what was committed.
    if (server) server->stop(grace);
    for (auto& consumer : consumers) consumer->stop();
    if (relay) relay->stop();
    server.reset();
    consumers.clear();
    relay.reset();
  }
};

config::Schema Service::schema(const Definition& definition) {
  config::Schema schema;
  declare_standard_settings(schema, definition.name);
  if (definition.declare_settings) definition.declare_settings(schema);
  return schema;
}

Service::Service(Definition definition, config::Config config, std::shared_ptr<log::Sink> sink)
    : impl_(std::make_unique<Impl>(std::move(definition), std::move(config), std::move(sink))) {}

Service::~Service() { stop(); }

void Service::start() {
  if (impl_->started) throw std::logic_error("Service::start() called twice");
  impl_->started = true;
  try {
    impl_->open_database();
    if (impl_->definition.wire) {
      impl_->wiring = true;
      impl_->definition.wire(*this);
      impl_->wiring = false;
    }
    impl_->start_messaging();
    impl_->start_server();
  } catch (...) {
    impl_->wiring = false;
    impl_->stop();
    throw;
  }
}

void Service::stop() { impl_->stop(); }

std::uint16_t Service::port() const noexcept {
  return impl_->server ? impl_->server->port() : std::uint16_t{0};
}

const std::string& Service::name() const noexcept { return impl_->definition.name; }
const config::Config& Service::config() const noexcept { return impl_->config; }

const db::Database& Service::database() const {
  if (!impl_->database) throw std::logic_error("the database is opened by Service::start()");
  return *impl_->database;
}

log::Logger& Service::logger() noexcept { return impl_->logger; }
http::MetricsRegistry& Service::metrics() noexcept { return *impl_->metrics; }

http::Router& Service::router() {
  if (!impl_->wiring) throw std::logic_error("routes are added in Definition::wire");
  return impl_->router;
}

void Service::subscribe(const std::string& subscription, std::vector<std::string> topics,
                        messaging::InboxConsumer::Handler handler,
                        std::optional<messaging::InboxOptions> options) {
  if (!impl_->wiring) throw std::logic_error("subscriptions are made in Definition::wire");
  auto inbox = options ? std::move(*options) : impl_->inbox_defaults;
  if (inbox.consumer_name.empty())
    inbox.consumer_name = impl_->definition.name + "." + subscription;
  if (!inbox.logger) inbox.logger = &impl_->logger;
  // What a handler appended to the outbox is published at once, as after a command.
  inbox.after_commit = [impl = impl_.get(), then = std::move(inbox.after_commit)] {
    if (then) then();
    if (impl->relay) impl->relay->wake();
  };
  impl_->subscriptions.push_back(
      {subscription, std::move(topics), std::move(handler), std::move(inbox)});
}

const messaging::InboxOptions& Service::inbox_settings() const noexcept {
  return impl_->inbox_defaults;
}

void Service::events_committed() noexcept {
  if (impl_->relay) impl_->relay->wake();
}

int Service::main(Definition definition, int argc, char** argv) {
  CLI::App app{"eskit service '" + definition.name + "'"};
  std::string config_file;
  bool print_config = false;
  app.add_option("--config", config_file, "YAML configuration file (environment variables win)")
      ->envname("ESKIT_CONFIG_FILE");
  app.add_flag("--print-config", print_config,
               "Print the effective configuration (secrets hidden) and exit");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    return app.exit(error) == 0 ? 0 : 2;
  }

  // Blocked before any thread starts (threads inherit the mask), so only sigwait below sees
  // them and the stop runs on this thread, outside any signal handler.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  const auto started_at = std::chrono::steady_clock::now();
  config::Sources sources;
  if (!config_file.empty()) sources.file = config_file;
  auto config = config::load_or_exit(schema(definition), sources, std::cerr);
  if (print_config) {
    std::cout << config.effective();
    return 0;
  }
  std::unique_ptr<Service> service;
  try {
    service = std::make_unique<Service>(std::move(definition), std::move(config));
  } catch (const std::exception& e) {
    std::cerr << "configuration: " << e.what() << '\n';
    return config::exit_config_error;
  }
  try {
    service->start();
  } catch (const std::exception& e) {
    service->logger().error("cannot start", {{"error", e.what()}});
    return 1;
  }
  const auto startup = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - started_at);
  service->logger().info("listening", {{"port", service->port()},
                                       {"startupMs", static_cast<std::int64_t>(startup.count())}});
  int received = 0;
  sigwait(&stop_signals, &received);
  service->logger().info("stopping", {{"signal", received == SIGINT ? "SIGINT" : "SIGTERM"}});
  service->stop();
  service->logger().info("stopped");
  return 0;
}

}  // namespace eskit::runtime::service
