#pragma once
// What a ConsumedMessage holds: the librdkafka message (which owns the bytes) and header
// views into it, decoded once on arrival.

#include <librdkafka/rdkafka.h>

#include <memory>
#include <vector>

#include "eskit/runtime/kafka/consumed_message.hpp"

namespace eskit::runtime::kafka {

struct ConsumedMessage::Impl {
  struct MessageDeleter {
    void operator()(rd_kafka_message_t* message) const noexcept {
      rd_kafka_message_destroy(message);
    }
  };

  explicit Impl(rd_kafka_message_t* received);

  std::unique_ptr<rd_kafka_message_t, MessageDeleter> message;
  std::vector<HeaderView> headers;
};

}  // namespace eskit::runtime::kafka
