#pragma once
// Publishes events to Kafka: idempotent, keyed, with headers, never blocking per message.
//
// produce() only queues; the broker's answer arrives later as a DeliveryReport on the
// callback. That is what lets the outbox relay keep many events in flight and still know
// which rows are safely in Kafka. Idempotence (enable.idempotence=true, acks=all) means
// librdkafka's retries cannot duplicate or reorder a partition's messages.

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>

#include "eskit/runtime/kafka/client_options.hpp"
#include "eskit/runtime/kafka/delivery_report.hpp"
#include "eskit/runtime/kafka/outgoing_message.hpp"

namespace eskit::runtime::kafka {

class Producer {
 public:
  // Called once per produced message, on the producer's own delivery thread — one report at
  // a time, never concurrently. Keep it short (it holds up the reports behind it).
  using DeliveryCallback = std::function<void(const DeliveryReport&)>;

  // Throws KafkaError when the options are invalid (e.g. an unknown property).
  Producer(const ClientOptions& options, DeliveryCallback on_delivery);
  // Messages not yet delivered are purged; their reports (not_persisted) are still delivered
  // before the destructor returns. Call flush() first to give them a chance.
  ~Producer();
  Producer(const Producer&) = delete;
  Producer& operator=(const Producer&) = delete;

  // Queues the message. Throws KafkaError when it cannot even be queued (local queue full,
  // message too large, producer fenced by a fatal idempotence error). Broker problems are
  // not thrown: they arrive as failed delivery reports once message.timeout.ms expires.
  void produce(const OutgoingMessage& message);

  // Waits until every queued message has had its delivery report delivered, or the deadline
  // passes. Returns true when nothing is left in flight.
  bool flush(std::chrono::steady_clock::time_point deadline);

  // Messages queued or in flight whose delivery report has not been delivered yet.
  std::size_t in_flight() const;

  // Whether a connection to at least one broker is up, as of librdkafka's last statistics
  // report (every statistics.interval.ms, 2 s by default); nullopt before the first report or
  // when statistics are disabled. Never blocks: readiness checks call it.
  std::optional<bool> broker_connected() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace eskit::runtime::kafka
