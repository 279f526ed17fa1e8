#pragma once
// One event on its way to Kafka.

#include <cstdint>
#include <string>
#include <vector>

#include "eskit/runtime/kafka/header.hpp"

namespace eskit::runtime::kafka {

struct OutgoingMessage {
  std::string topic;
  // The aggregate id. Kafka keeps order per partition and the partitioner maps equal keys
  // to one partition, so one aggregate's events stay in order. Empty = no key (any partition).
  std::string key;
  std::string payload;
  std::vector<Header> headers;
  // Echoed back in the DeliveryReport, so the outbox relay can mark exactly this row as sent.
  std::uint64_t correlation_id = 0;
};

}  // namespace eskit::runtime::kafka
