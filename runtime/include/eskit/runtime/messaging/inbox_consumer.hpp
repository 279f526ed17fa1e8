#pragma once
// Consumes a context's events as a member of its consumer group and applies each one exactly
// once in effect: the handler's writes and an inbox row keyed (consumer, event id) commit in
// one unit of work, and the Kafka offset is committed only after it. A redelivered event finds
// its inbox row and is acknowledged without running the handler again.
//
// A message that cannot be handled does not stop the partition: an undecodable envelope, an
// event type outside accepted_types, or a handler that still throws after max_attempts goes to
// the dead-letter topic (with the error and where it came from in headers, docs/messaging.md),
// and once the broker has acknowledged that copy the offset is committed and the consumer
// moves on. Between tries the failing message's partition is held at it (Consumer::hold), so
// the member's other partitions flow meanwhile.
#include <chrono>
#include <functional>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "eskit/runtime/db/database.hpp"
#include "eskit/runtime/db/unit_of_work.hpp"
#include "eskit/runtime/http/metrics.hpp"
#include "eskit/runtime/kafka/consumer.hpp"
#include "eskit/runtime/messaging/envelope.hpp"

namespace eskit::runtime::log {
class Logger;
}

namespace eskit::runtime::messaging {

struct InboxOptions {
  // The inbox key's first half; defaults to the consumer group id. Two handlers of one event
  // (a policy and a projection) need different names to each see it once.
  std::string consumer_name;
  // Tries per message before it is dead-lettered (handler exceptions, database errors).
  int max_attempts = 3;
  // Wait between tries: backoff * 2^(attempt-1).
  std::chrono::milliseconds backoff{100};
  // Where poison messages go; empty = "<original topic>.dlq".
  std::string dead_letter_topic;
  // A message whose handler still fails after max_attempts is dropped (counted, not
  // dead-lettered): the model's `on_failure: { then: discard }`, for reactions that may be
  // lost. Undecodable envelopes and unknown types are dead-lettered all the same.
  bool discard_failures = false;
  // When not empty, other event types are dead-lettered as unknown.
  std::set<std::string> accepted_types;
  // When not empty, other event types are not this consumer's business: their offsets move on
  // without the handler, an inbox row or a count in eskit_inbox_handled_total. A policy reads
  // its trigger's topic, which carries the source's other events too.
  std::set<std::string> handled_types;
  // How often consumer lag is sampled into the metrics.
  std::chrono::milliseconds lag_interval{std::chrono::seconds(5)};
  // Called on the consumer's thread after a handled event's unit of work has committed (not
  // for duplicates): where a service wakes its relay, so the events a policy or saga step
  // appended go out now rather than at the relay's next poll. Must not throw.
  std::function<void()> after_commit;
  // Where each failed try (warn), dead letter and discard (error) is logged, with the event's
  // correlation id; none: only the counters and metrics tell. Must outlive the consumer.
  log::Logger* logger = nullptr;
};

class InboxConsumer {
 public:
  // Runs inside the unit of work that also records the inbox row; throw to roll both back.
  using Handler = std::function<void(db::UnitOfWork&, const Envelope&)>;

  // Throws kafka::KafkaError when the options are invalid.
  InboxConsumer(db::Database database, kafka::ConsumerOptions consumer,
                std::vector<std::string> topics, Handler handler, InboxOptions options = {},
                http::MetricsRegistry* metrics = nullptr);
  ~InboxConsumer();  // stop()s
  InboxConsumer(const InboxConsumer&) = delete;
  InboxConsumer& operator=(const InboxConsumer&) = delete;

  // Joins the group and handles messages on a thread of its own.
  void start();
  // Finishes the message in hand, leaves the group. Idempotent.
  void stop();

  // Totals since start (the same numbers as the metrics).
  std::uint64_t handled() const noexcept;
  std::uint64_t duplicates() const noexcept;
  std::uint64_t dead_lettered() const noexcept;
  std::uint64_t discarded() const noexcept;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace eskit::runtime::messaging
