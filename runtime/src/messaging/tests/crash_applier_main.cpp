// crash-applier: the consuming side of the crash-safety test (crash_safety_test.cpp). An
// InboxConsumer whose handler records every event it applies as a row of its own; runs until
// SIGKILLed, or until SIGTERM (then stops cleanly, exit 0).
#include <CLI/CLI.hpp>

#include <pthread.h>

#include <algorithm>
#include <csignal>
#include <iostream>
#include <string>

#include "crash_model.hpp"
#include "eskit/runtime/db/database.hpp"
#include "eskit/runtime/db/migrator.hpp"
#include "eskit/runtime/messaging/inbox_consumer.hpp"

namespace {

namespace db = eskit::runtime::db;
namespace kafka = eskit::runtime::kafka;
namespace messaging = eskit::runtime::messaging;
namespace crash = eskit::runtime::messaging::crash;

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"crash-applier: applies the crash-writer's events through the inbox"};
  std::string database_path, brokers, topic, group;
  int session_timeout_ms = 6000;
  app.add_option("--db", database_path, "SQLite file")->required();
  app.add_option("--brokers", brokers, "Kafka bootstrap servers")->required();
  app.add_option("--topic", topic, "topic of the events")->required();
  app.add_option("--group", group, "consumer group")->required();
  app.add_option("--session-timeout-ms", session_timeout_ms, "session.timeout.ms");
  CLI11_PARSE(app, argc, argv);

  try {
    // Blocked before any thread starts (threads inherit the mask), so only sigwait below
    // receives SIGTERM and the clean stop runs on this thread.
    sigset_t stop_signals;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGTERM);
    sigaddset(&stop_signals, SIGINT);
    pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

    auto database = db::Database::open("sqlite:" + database_path);
    db::Migrator(crash::applier_migrations(database.dialect())).run(database);

    kafka::ConsumerOptions consumer;
    consumer.client.bootstrap_servers = brokers;
    consumer.client.client_id = "crash-applier";
    // Short sessions and frequent heartbeats: a SIGKILLed member holds its partitions until its
    // session expires, and the test kills and restarts the applier over and over.
    consumer.client.properties["session.timeout.ms"] = std::to_string(session_timeout_ms);
    consumer.client.properties["heartbeat.interval.ms"] =
        std::to_string(std::max(100, session_timeout_ms / 10));
    // The mock cluster drops a member whose session expires while its JoinGroup is parked (the
    // first join of an empty group waits 3 s) without ever answering it; librdkafka gives up
    // on that request after max.poll.interval.ms + 3 s and joins again. Its default (5 min)
    // would stall the test; the inbox polls every 100 ms, far below this.
    consumer.client.properties["max.poll.interval.ms"] =
        std::to_string(std::max(10000, 2 * session_timeout_ms));
    consumer.group_id = group;
    consumer.on_error = [](const kafka::KafkaError& error) {
      std::cerr << "crash-applier: " << error.what() << '\n';
    };

    messaging::InboxOptions options;
    options.consumer_name = "crash-applier";
    // The handler only fails if the database does; a dead-lettered increment would be lost to
    // the applier, so retry for long rather than give up.
    options.max_attempts = 50;
    options.backoff = std::chrono::milliseconds(10);
    messaging::InboxConsumer inbox(
        database, consumer, {topic},
        [](db::UnitOfWork& uow, const messaging::Envelope& event) {
          const auto increment = crash::from_payload(event.payload);
          uow.execute(
              "insert into crash_applied (aggregate_id, sequence, event_id, rolled_back) "
              "values (:aggregate, :sequence, :event, :rolled_back)",
              event.aggregate_id, increment.sequence, event.event_id,
              increment.rolled_back ? 1 : 0);
        },
        options);
    inbox.start();

    int received = 0;
    sigwait(&stop_signals, &received);
    inbox.stop();
    return 0;
  } catch (const std::exception& error) {
    std::cerr << "crash-applier: " << error.what() << '\n';
    return 1;
  }
}
