#pragma once
// What Kafka did with one produced message, delivered asynchronously to the producer's callback.

#include <cstdint>
#include <string>

namespace eskit::runtime::kafka {

// Whether the message may be in the log — what an outbox needs to decide between "done",
// "retry" and "retry, and expect consumers to deduplicate".
enum class Persistence {
  persisted,           // acknowledged by the broker
  possibly_persisted,  // sent, but no acknowledgement arrived (e.g. timed out in flight)
  not_persisted,       // never written (e.g. timed out in the local queue, broker unreachable)
};

struct DeliveryReport {
  std::string topic;
  std::int32_t partition = -1;  // -1 when not delivered
  std::int64_t offset = -1;     // -1 when not delivered
  std::string key;
  std::uint64_t correlation_id = 0;
  Persistence persistence = Persistence::not_persisted;
  int error_code = 0;  // librdkafka's rd_kafka_resp_err_t; 0 on success
  std::string error;   // readable, empty on success

  bool ok() const noexcept { return error_code == 0; }
};

}  // namespace eskit::runtime::kafka
