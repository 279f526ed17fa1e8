#pragma once
// What a ConsumedMessage holds: its own copy of the message's bytes. librdkafka's
// rd_kafka_message_t keeps references into its consumer (rd_kafka_consumer_close waits for
// every outstanding message), so holding it would make a message that outlives its consumer
// hang the consumer's close; one copy per message is the cheaper trap to avoid.

#include <librdkafka/rdkafka.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "eskit/runtime/kafka/consumed_message.hpp"

namespace eskit::runtime::kafka {

struct ConsumedMessage::Impl {
  // Copies what the application can read; does not take ownership of `received`.
  explicit Impl(const rd_kafka_message_t* received);

  std::string topic;
  std::int32_t partition = 0;
  std::int64_t offset = 0;
  std::int64_t timestamp_ms = -1;
  std::string key;
  std::string payload;
  std::vector<std::pair<std::string, std::string>> header_storage;
  std::vector<HeaderView> headers;  // views into header_storage
};

}  // namespace eskit::runtime::kafka
