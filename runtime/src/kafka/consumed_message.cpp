#include "eskit/runtime/kafka/consumed_message.hpp"

#include "kafka/consumed_message_impl.hpp"

namespace eskit::runtime::kafka {

ConsumedMessage::Impl::Impl(rd_kafka_message_t* received) : message(received) {
  rd_kafka_headers_t* all = nullptr;
  // rd_kafka_message_headers parses lazily and keeps ownership in the message.
  if (rd_kafka_message_headers(received, &all) != RD_KAFKA_RESP_ERR_NO_ERROR) return;
  const char* name = nullptr;
  const void* value = nullptr;
  size_t size = 0;
  for (size_t i = 0;
       rd_kafka_header_get_all(all, i, &name, &value, &size) == RD_KAFKA_RESP_ERR_NO_ERROR; ++i) {
    // A null header value (size 0, value nullptr) reads as an empty string.
    headers.push_back(HeaderView{name, value
                                           ? std::string_view(static_cast<const char*>(value), size)
                                           : std::string_view()});
  }
}

ConsumedMessage::ConsumedMessage(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
ConsumedMessage::~ConsumedMessage() = default;
ConsumedMessage::ConsumedMessage(ConsumedMessage&&) noexcept = default;
ConsumedMessage& ConsumedMessage::operator=(ConsumedMessage&&) noexcept = default;

std::string_view ConsumedMessage::topic() const { return rd_kafka_topic_name(impl_->message->rkt); }
std::int32_t ConsumedMessage::partition() const { return impl_->message->partition; }
std::int64_t ConsumedMessage::offset() const { return impl_->message->offset; }

std::string_view ConsumedMessage::key() const {
  const auto* message = impl_->message.get();
  if (message->key == nullptr) return {};
  return {static_cast<const char*>(message->key), message->key_len};
}

std::string_view ConsumedMessage::payload() const {
  const auto* message = impl_->message.get();
  if (message->payload == nullptr) return {};
  return {static_cast<const char*>(message->payload), message->len};
}

std::int64_t ConsumedMessage::timestamp_ms() const {
  return rd_kafka_message_timestamp(impl_->message.get(), nullptr);
}

std::span<const HeaderView> ConsumedMessage::headers() const { return impl_->headers; }

std::optional<std::string_view> ConsumedMessage::header(std::string_view name) const {
  for (const auto& header : impl_->headers)
    if (header.name == name) return header.value;
  return std::nullopt;
}

}  // namespace eskit::runtime::kafka
