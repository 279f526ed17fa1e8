// crash-writer: the command side of the crash-safety test (crash_safety_test.cpp). Increments
// counters, each increment and its event in one unit of work, with a relay publishing the
// outbox; every k-th increment is rolled back instead. Event ids go to side files first: a
// rolled-back one to --rolled-back-file before the rollback, any other to --committing-file
// before the commit, so the test can tell which events died with an interrupted transaction
// and prove that neither kind ever reached anyone. Runs until SIGKILLed, or, with
// --iterations, that many increments and then until the relay has published every committed
// event (exit 0; 2 when the outbox does not drain in time).
#include <CLI/CLI.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <iostream>
#include <random>
#include <string>
#include <thread>

#include "crash_model.hpp"
#include "eskit/runtime/db/database.hpp"
#include "eskit/runtime/db/migrator.hpp"
#include "eskit/runtime/messaging/outbox.hpp"
#include "eskit/runtime/messaging/relay.hpp"

namespace {

namespace db = eskit::runtime::db;
namespace messaging = eskit::runtime::messaging;
namespace crash = eskit::runtime::messaging::crash;
using Clock = std::chrono::steady_clock;

// One write() per line: a SIGKILL cannot leave half an id behind.
void append_line(int fd, const std::string& text) {
  const std::string line = text + '\n';
  if (::write(fd, line.data(), line.size()) != static_cast<ssize_t>(line.size()))
    throw std::runtime_error("cannot record an event id");
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"crash-writer: commits counter increments with outbox events until killed"};
  std::string database_path, brokers, topic, rolled_back_path, committing_path;
  std::uint64_t seed = 0;
  long iterations = -1;
  int aggregates = 20;
  int rollback_every = 7;
  int pause_us = 1000;
  int commit_delay_us = 0;
  app.add_option("--db", database_path, "SQLite file")->required();
  app.add_option("--brokers", brokers, "Kafka bootstrap servers")->required();
  app.add_option("--topic", topic, "topic of the events")->required();
  app.add_option("--rolled-back-file", rolled_back_path, "where rolled-back event ids go")
      ->required();
  app.add_option("--committing-file", committing_path, "where ids of events about to commit go")
      ->required();
  app.add_option("--seed", seed, "picks the counters to increment");
  app.add_option("--iterations", iterations, "stop after this many, once the outbox drained");
  app.add_option("--aggregates", aggregates, "number of counters")->check(CLI::Range(1, 100));
  app.add_option("--rollback-every", rollback_every, "every k-th increment is rolled back")
      ->check(CLI::Range(2, 1000));
  app.add_option("--pause-us", pause_us, "pause between increments (paces the event volume)");
  app.add_option("--commit-delay-us", commit_delay_us,
                 "pause inside each transaction, before its commit");
  CLI11_PARSE(app, argc, argv);

  try {
    auto database = db::Database::open("sqlite:" + database_path);
    db::Migrator(crash::writer_migrations(database.dialect())).run(database);

    auto open_side_file = [](const std::string& path) {
      const int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
      if (fd < 0) throw std::runtime_error("cannot open " + path);
      return fd;
    };
    const int rolled_back_file = open_side_file(rolled_back_path);
    const int committing_file = open_side_file(committing_path);

    eskit::runtime::kafka::ClientOptions client;
    client.bootstrap_servers = brokers;
    client.client_id = "crash-writer";
    messaging::RelayOptions relay_options;
    relay_options.name = "crash-writer";
    relay_options.poll_interval = std::chrono::milliseconds(100);
    relay_options.delivery_timeout = std::chrono::seconds(10);
    relay_options.retry_backoff = std::chrono::milliseconds(100);
    messaging::Relay relay(database, client, relay_options);
    relay.start();

    std::mt19937_64 random(seed);
    std::uniform_int_distribution<int> pick(0, aggregates - 1);
    for (long i = 0; iterations < 0 || i < iterations; ++i) {
      const auto id = crash::aggregate_id(pick(random));
      const bool roll_back = i % rollback_every == rollback_every - 1;
      auto uow = database.begin();
      const auto version =
          uow.query_scalar<std::int64_t>("select version from crash_counters where id = :id", id)
              .value_or(0);
      uow.execute(
          "insert into crash_counters (id, version) values (:id, :version) "
          "on conflict (id) do update set version = excluded.version",
          id, version + 1);
      const auto event =
          messaging::Envelope::make(std::string(crash::event_type), std::string(crash::source), id,
                                    crash::to_payload({version + 1, roll_back}));
      messaging::Outbox::append(uow, event, topic);
      if (roll_back) {
        append_line(rolled_back_file, event.event_id);
        uow.rollback();
      } else {
        append_line(committing_file, event.event_id);
        // Work a real command does before committing; it gives a SIGKILL a fair chance to land
        // inside the transaction rather than only between transactions.
        if (commit_delay_us > 0)
          std::this_thread::sleep_for(std::chrono::microseconds(commit_delay_us));
        uow.commit();
        relay.wake();
      }
      if (pause_us > 0) std::this_thread::sleep_for(std::chrono::microseconds(pause_us));
    }

    const auto deadline = Clock::now() + std::chrono::seconds(60);
    while (messaging::Outbox::backlog(database) > 0) {
      if (Clock::now() >= deadline) {
        std::cerr << "crash-writer: the outbox did not drain within 60 s\n";
        return 2;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    relay.stop();
    ::close(rolled_back_file);
    ::close(committing_file);
    return 0;
  } catch (const std::exception& error) {
    std::cerr << "crash-writer: " << error.what() << '\n';
    return 1;
  }
}
