#pragma once
// Reads events as a member of a consumer group, committing only what the service has
// durably handled.
//
// Offsets are committed explicitly (enable.auto.commit=false): the service handles a
// message inside its database transaction (inbox + state change), and calls commit(message)
// after that transaction commits. A crash in between redelivers the message, which the inbox
// deduplicates — at-least-once delivery, effectively-once effects.
//
// Rebalancing is eager by default (partition.assignment.strategy=roundrobin): every member
// gives up all partitions, then receives its new share in one round. Cooperative-sticky keeps
// unaffected partitions flowing but needs a second rebalance round whenever partitions move;
// because commit() is synchronous there is never uncommitted work to save at revocation, so the
// simpler one-round protocol wins. Setting properties["partition.assignment.strategy"] =
// "cooperative-sticky" is supported: the callbacks then receive only the partitions that move.
//
// Thread-safety: poll(), commit() and close() belong to one thread; rebalance and error
// callbacks run inside poll() on that thread. lag() and assignment() may be called from
// another thread (e.g. a metrics scrape).

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "eskit/runtime/kafka/client_options.hpp"
#include "eskit/runtime/kafka/consumed_message.hpp"
#include "eskit/runtime/kafka/kafka_error.hpp"
#include "eskit/runtime/kafka/topic_partition.hpp"

namespace eskit::runtime::kafka {

struct ConsumerOptions {
  ClientOptions client;
  // One group per bounded context (and per policy/projection when they must progress
  // independently): the group's committed offsets are the context's reading position.
  std::string group_id;
  // How long the group waits for a silent member (a crashed replica) before giving its
  // partitions to the others, and how often a live member says it is alive. Consumer-only
  // settings live here rather than in client.properties, which a service may reuse for its
  // producers (librdkafka warns about consumer properties on a producer). An entry of the
  // same name in client.properties wins.
  std::chrono::milliseconds session_timeout{45'000};
  std::chrono::milliseconds heartbeat_interval{3'000};
  // Partitions this member now reads. Called inside poll().
  std::function<void(const std::vector<TopicPartition>&)> on_assigned;
  // Partitions this member no longer reads; called before they are taken away.
  std::function<void(const std::vector<TopicPartition>&)> on_revoked;
  // Non-fatal errors librdkafka reports while it retries on its own (broker unreachable, ...).
  // Fatal errors are thrown from poll() instead.
  std::function<void(const KafkaError&)> on_error;
};

class Consumer {
 public:
  // Throws KafkaError when the options are invalid or group_id is empty.
  explicit Consumer(ConsumerOptions options);
  ~Consumer();  // close()s if still open
  Consumer(const Consumer&) = delete;
  Consumer& operator=(const Consumer&) = delete;

  // Joins the group for these topics (asynchronously: the first assignment arrives during
  // a later poll()). A group with no committed offset starts at the earliest message.
  void subscribe(const std::vector<std::string>& topics);

  // The next message, or nothing when none arrived within timeout.
  std::optional<ConsumedMessage> poll(std::chrono::milliseconds timeout);

  // Commits "everything up to and including this message" for its partition, synchronously.
  // Throws KafkaError when the broker refuses (e.g. the partition was revoked meanwhile; the
  // message will then be redelivered to its new owner).
  void commit(const ConsumedMessage& message);

  // Rewinds the message's partition to the message and stops fetching from it until resume():
  // how a message waits for its next try without holding up the member's other partitions.
  // Messages of that partition fetched already are dropped, so nothing after the held message
  // is delivered meanwhile; after resume() the held message comes again, then the rest in
  // order. A rebalance that takes the partition away ends the hold.
  void hold(const ConsumedMessage& message);
  void resume(const TopicPartition& partition);

  std::vector<TopicPartition> assignment() const;

  // Where each partition's end is read from: the last fetch response (free, current to
  // within one fetch wait: right for metrics) or the broker (exact: right for "has every
  // event been read"; queues behind a waiting fetch, fetch.wait.max.ms per partition).
  enum class Ends { last_fetched, from_broker };
  // Lag of every assigned partition: committed offsets from the group coordinator and the
  // partitions' ends (a partition not fetched yet is always asked); waits at most timeout
  // per query.
  std::vector<PartitionLag> lag(std::chrono::milliseconds timeout,
                                Ends ends = Ends::last_fetched) const;

  // Leaves the group (its partitions go to the other members at once, not after
  // session.timeout.ms). Uncommitted messages will be redelivered.
  void close();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace eskit::runtime::kafka
