// crash-participant: the participant side of the saga crash test (crash_test.cpp). Applies the
// saga's commands through saga::Participant and the inbox, recording each application as a row
// of its own; refuses the shipment of instances whose data says so. Runs until SIGKILLed, or
// until SIGTERM (then stops cleanly, exit 0).
#include <CLI/CLI.hpp>

#include <pthread.h>

#include <algorithm>
#include <csignal>
#include <iostream>

#include "crash_model.hpp"
#include "eskit/runtime/messaging/inbox_consumer.hpp"
#include "eskit/runtime/messaging/relay.hpp"
#include "eskit/runtime/saga/participant.hpp"

namespace {

namespace db = eskit::runtime::db;
namespace kafka = eskit::runtime::kafka;
namespace messaging = eskit::runtime::messaging;
namespace saga = eskit::runtime::saga;

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"crash-participant: applies saga commands through the inbox until killed"};
  std::string database_path, brokers;
  int session_timeout_ms = 4000;
  app.add_option("--db", database_path, "SQLite file")->required();
  app.add_option("--brokers", brokers, "Kafka bootstrap servers")->required();
  app.add_option("--session-timeout-ms", session_timeout_ms, "session.timeout.ms");
  CLI11_PARSE(app, argc, argv);

  try {
    sigset_t stop_signals;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGTERM);
    sigaddset(&stop_signals, SIGINT);
    pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

    auto database = db::Database::open("sqlite:" + database_path);
    db::Migrator(saga::crash::participant_migrations(database.dialect())).run(database);

    kafka::ClientOptions producer;
    producer.bootstrap_servers = brokers;
    producer.client_id = "crash-participant";
    messaging::RelayOptions relay_options;
    relay_options.name = "crash-participant";
    relay_options.poll_interval = std::chrono::milliseconds(50);
    relay_options.delivery_timeout = std::chrono::seconds(10);
    relay_options.retry_backoff = std::chrono::milliseconds(100);
    messaging::Relay relay(database, producer, relay_options);
    relay.start();

    saga::Participant participant("crash-participant", saga::crash::replies_topic);
    auto applying = [](std::string reply) {
      return [reply](db::UnitOfWork& uow, const messaging::Envelope& command) {
        uow.execute(
            "insert into crash_applied (correlation_id, command, event_id) values (:c, :t, :e)",
            command.correlation_id, command.event_type, command.event_id);
        if (command.event_type == "Ship" &&
            command.payload.find("\"refuse\":true") != std::string::npos)
          return saga::Reply{"ShipRefused"};
        return saga::Reply{reply};
      };
    };
    participant.on("Reserve", applying("Reserved"))
        .on("Release", applying("Released"))
        .on("Charge", applying("Charged"))
        .on("Refund", applying("Refunded"))
        .on("Ship", applying("Shipped"))
        .on("Notify", applying("Notified"));

    kafka::ConsumerOptions consumer;
    consumer.client.bootstrap_servers = brokers;
    consumer.client.client_id = "crash-participant";
    consumer.client.properties["session.timeout.ms"] = std::to_string(session_timeout_ms);
    consumer.client.properties["heartbeat.interval.ms"] =
        std::to_string(std::max(100, session_timeout_ms / 10));
    consumer.client.properties["max.poll.interval.ms"] =
        std::to_string(std::max(10000, 2 * session_timeout_ms));
    consumer.group_id = "crash-participant";
    consumer.on_error = [](const kafka::KafkaError& error) {
      std::cerr << "crash-participant: " << error.what() << '\n';
    };
    messaging::InboxOptions options;
    options.consumer_name = "crash-participant";
    options.max_attempts = 50;
    options.backoff = std::chrono::milliseconds(10);
    options.accepted_types = participant.command_types();
    messaging::InboxConsumer commands(database, consumer, {saga::crash::commands_topic},
                                      participant.handler(), options);
    commands.start();

    int received = 0;
    sigwait(&stop_signals, &received);
    commands.stop();
    relay.stop();
    return 0;
  } catch (const std::exception& error) {
    std::cerr << "crash-participant: " << error.what() << '\n';
    return 1;
  }
}
