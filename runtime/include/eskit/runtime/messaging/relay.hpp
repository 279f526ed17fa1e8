#pragma once
// The outbox relay: a background thread that publishes committed outbox rows to Kafka and
// marks them sent once the broker has acknowledged them.
//
// Guarantees (details in docs/messaging.md):
// - At least once: a row is marked sent only after its delivery report says "persisted"; a
//   crash before that publishes it again (consumers deduplicate by event id in their inbox).
// - Order per aggregate: each round publishes at most the oldest unsent row of each
//   aggregate, so row N+1 of an aggregate is never in flight before row N is acknowledged,
//   whatever happens to N (timeout, broker gone, producer restarted). Different aggregates
//   are published together, asynchronously, up to batch_size per round.
// - Several instances: on PostgreSQL a round holds its rows with FOR UPDATE SKIP LOCKED until
//   they are marked, so two relays never publish the same row or overtake each other within an
//   aggregate. SQLite has one writer: run one relay per database file.
// - Latency: wake() (after the committing unit of work) starts a round at once; poll_interval
//   is only the fallback for commits nobody announced (another process, a lost wake).
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "eskit/runtime/db/database.hpp"
#include "eskit/runtime/http/metrics.hpp"
#include "eskit/runtime/http/readiness.hpp"
#include "eskit/runtime/kafka/client_options.hpp"

namespace eskit::runtime::messaging {

struct RelayOptions {
  // Labels this relay's metrics (relay="<name>"); the service name is a good choice.
  std::string name = "outbox";
  // Rows (of distinct aggregates) in flight per round.
  std::size_t batch_size = 500;
  // Fallback: how often the outbox is checked when nobody calls wake().
  std::chrono::milliseconds poll_interval{1000};
  // librdkafka's message.timeout.ms: how long one delivery may take before it is reported as
  // failed and the row is retried in a later round.
  std::chrono::milliseconds delivery_timeout{30000};
  // Pause after a round with failed deliveries, so a dead broker is not hammered.
  std::chrono::milliseconds retry_backoff{500};
  // Sent rows are deleted once older than this, checked every purge_interval.
  std::chrono::milliseconds purge_after{std::chrono::hours(24)};
  std::chrono::milliseconds purge_interval{std::chrono::minutes(5)};
  // Readiness fails when the oldest unsent row is older than this.
  std::chrono::milliseconds stuck_after{std::chrono::minutes(1)};
};

class Relay {
 public:
  // `metrics` may be null; otherwise it must outlive the relay's series (the relay's gauges
  // keep their own state alive, so a registry that outlives the relay stays valid).
  // Throws kafka::KafkaError when the producer options are invalid.
  Relay(db::Database database, kafka::ClientOptions producer, RelayOptions options,
        http::MetricsRegistry* metrics = nullptr);
  ~Relay();  // stop()s
  Relay(const Relay&) = delete;
  Relay& operator=(const Relay&) = delete;

  void start();
  // Finishes the round in flight (marking what was acknowledged), then stops. Idempotent.
  void stop();
  // Starts a round now. Cheap, thread-safe, never blocks: call it after every commit that
  // appended to the outbox.
  void wake() noexcept;

  // The "relay not stuck" check for http::Readiness: failing while the oldest unsent row is
  // older than stuck_after (with the last delivery error, if any, as the reason).
  http::ReadinessCheck readiness_check() const;

  // Totals since start, for tests and logs (the same numbers as the metrics).
  std::uint64_t published() const noexcept;
  std::uint64_t failed() const noexcept;

 private:
  struct State;
  std::shared_ptr<State> state_;
};

}  // namespace eskit::runtime::messaging
