#pragma once
// The dead-letter copy of a message the consumer gave up on: the original key, body and
// headers untouched (so it can be replayed as it was), plus headers saying why and from where.
#include <string>

#include "eskit/runtime/kafka/consumed_message.hpp"
#include "eskit/runtime/kafka/outgoing_message.hpp"

namespace eskit::runtime::messaging {

namespace dead_letter_header {
inline constexpr std::string_view error = "eskit-dlq-error";
inline constexpr std::string_view original_topic = "eskit-dlq-original-topic";
inline constexpr std::string_view original_partition = "eskit-dlq-original-partition";
inline constexpr std::string_view original_offset = "eskit-dlq-original-offset";
inline constexpr std::string_view consumer = "eskit-dlq-consumer";
inline constexpr std::string_view attempts = "eskit-dlq-attempts";
}  // namespace dead_letter_header

// `topic` empty = "<original topic>.dlq".
kafka::OutgoingMessage dead_letter_message(const kafka::ConsumedMessage& message,
                                           const std::string& error, int attempts,
                                           const std::string& consumer, const std::string& topic);

}  // namespace eskit::runtime::messaging
