// crash-orchestrator: the orchestrating side of the saga crash test (crash_test.cpp). Starts
// --instances saga instances, one unit of work each, paced (a restart starts the ones not
// started yet: start() of an existing one changes nothing), while its relay publishes the
// commands, its inbox consumer advances the instances on the participant's replies and its
// step timer fails the steps past their deadline. Runs
// until SIGKILLed, or until SIGTERM (then stops cleanly, exit 0).
#include <CLI/CLI.hpp>

#include <pthread.h>

#include <algorithm>
#include <atomic>
#include <csignal>
#include <cstdlib>
#include <iostream>
#include <thread>

#include "crash_model.hpp"
#include "eskit/runtime/db/retry.hpp"
#include "eskit/runtime/messaging/inbox_consumer.hpp"
#include "eskit/runtime/messaging/relay.hpp"
#include "eskit/runtime/saga/orchestrator.hpp"
#include "eskit/runtime/saga/step_timer.hpp"

namespace {

namespace db = eskit::runtime::db;
namespace kafka = eskit::runtime::kafka;
namespace messaging = eskit::runtime::messaging;
namespace saga = eskit::runtime::saga;

kafka::ConsumerOptions consumer_options(const std::string& brokers, const std::string& group,
                                        int session_timeout_ms) {
  kafka::ConsumerOptions consumer;
  consumer.client.bootstrap_servers = brokers;
  consumer.client.client_id = group;
  // As in the messaging crash test (crash_applier_main.cpp): short sessions, frequent
  // heartbeats, and a poll interval that lets a member dropped by the mock cluster rejoin soon.
  consumer.client.properties["session.timeout.ms"] = std::to_string(session_timeout_ms);
  consumer.client.properties["heartbeat.interval.ms"] =
      std::to_string(std::max(100, session_timeout_ms / 10));
  consumer.client.properties["max.poll.interval.ms"] =
      std::to_string(std::max(10000, 2 * session_timeout_ms));
  consumer.group_id = group;
  consumer.on_error = [group](const kafka::KafkaError& error) {
    std::cerr << group << ": " << error.what() << '\n';
  };
  return consumer;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"crash-orchestrator: starts and advances saga instances until killed"};
  std::string database_path, brokers;
  int instances = 60;
  int pace_ms = 40;
  int session_timeout_ms = 4000;
  int step_timeout_ms = 0;
  app.add_option("--db", database_path, "SQLite file")->required();
  app.add_option("--brokers", brokers, "Kafka bootstrap servers")->required();
  app.add_option("--instances", instances, "saga instances to start");
  app.add_option("--pace-ms", pace_ms, "pause between two starts");
  app.add_option("--session-timeout-ms", session_timeout_ms, "session.timeout.ms");
  app.add_option("--step-timeout-ms", step_timeout_ms, "timeout of the reserve and charge steps");
  CLI11_PARSE(app, argc, argv);

  try {
    sigset_t stop_signals;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGTERM);
    sigaddset(&stop_signals, SIGINT);
    pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

    auto database = db::Database::open("sqlite:" + database_path);
    db::Migrator(saga::crash::orchestrator_migrations(database.dialect())).run(database);

    kafka::ClientOptions producer;
    producer.bootstrap_servers = brokers;
    producer.client_id = "crash-orchestrator";
    messaging::RelayOptions relay_options;
    relay_options.name = "crash-orchestrator";
    relay_options.poll_interval = std::chrono::milliseconds(50);
    relay_options.delivery_timeout = std::chrono::seconds(10);
    relay_options.retry_backoff = std::chrono::milliseconds(100);
    messaging::Relay relay(database, producer, relay_options);
    relay.start();

    saga::Orchestrator orders(database,
                              saga::crash::definition(std::chrono::milliseconds(step_timeout_ms)));
    saga::StepTimerOptions timer_options;
    timer_options.interval = std::chrono::milliseconds(200);
    timer_options.after_timeouts = [&relay] { relay.wake(); };
    timer_options.on_error = [](const std::exception& error) {
      std::cerr << "crash-orchestrator: step timer: " << error.what() << '\n';
    };
    saga::StepTimer timer(orders, timer_options);
    timer.start();
    messaging::InboxOptions options;
    options.consumer_name = "crash-orchestrator";
    options.max_attempts = 50;  // only database trouble fails a transition: never give up on one
    options.backoff = std::chrono::milliseconds(10);
    messaging::InboxConsumer replies(
        database, consumer_options(brokers, "crash-orchestrator", session_timeout_ms),
        {saga::crash::replies_topic}, orders.handler(), options);
    replies.start();

    std::atomic<bool> stopping{false};
    auto start_all = [&] {
      for (int i = 0; i < instances && !stopping; ++i) {
        const auto id = saga::crash::instance_id(i);
        const std::string data = saga::crash::refused(i) ? R"({"refuse":true})" : "{}";
        const bool started = db::transact(
            database, [&](db::UnitOfWork& uow) { return orders.start(uow, id, data); });
        if (started) {
          relay.wake();
          std::this_thread::sleep_for(std::chrono::milliseconds(pace_ms));
        }
      }
    };
    std::thread starter([&] {
      try {
        start_all();
      } catch (const std::exception& error) {
        std::cerr << "crash-orchestrator: starting: " << error.what() << '\n';
        std::_Exit(1);
      }
    });

    int received = 0;
    sigwait(&stop_signals, &received);
    stopping = true;
    starter.join();
    timer.stop();
    replies.stop();
    relay.stop();
    return 0;
  } catch (const std::exception& error) {
    std::cerr << "crash-orchestrator: " << error.what() << '\n';
    return 1;
  }
}
