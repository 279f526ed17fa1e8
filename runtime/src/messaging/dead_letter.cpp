#include "messaging/dead_letter.hpp"

namespace eskit::runtime::messaging {

kafka::OutgoingMessage dead_letter_message(const kafka::ConsumedMessage& message,
                                           const std::string& error, int attempts,
                                           const std::string& consumer, const std::string& topic) {
  kafka::OutgoingMessage out;
  out.topic = topic.empty() ? std::string(message.topic()) + ".dlq" : topic;
  out.key = std::string(message.key());
  out.payload = std::string(message.payload());
  for (const auto& h : message.headers())
    out.headers.push_back({std::string(h.name), std::string(h.value)});
  out.headers.push_back({std::string(dead_letter_header::error), error});
  out.headers.push_back(
      {std::string(dead_letter_header::original_topic), std::string(message.topic())});
  out.headers.push_back(
      {std::string(dead_letter_header::original_partition), std::to_string(message.partition())});
  out.headers.push_back(
      {std::string(dead_letter_header::original_offset), std::to_string(message.offset())});
  out.headers.push_back({std::string(dead_letter_header::consumer), consumer});
  out.headers.push_back({std::string(dead_letter_header::attempts), std::to_string(attempts)});
  return out;
}

}  // namespace eskit::runtime::messaging
