#include "eskit/runtime/kafka/consumed_message.hpp"

#include "kafka/consumed_message_impl.hpp"

namespace eskit::runtime::kafka {

ConsumedMessage::Impl::Impl(const rd_kafka_message_t* received)
    : partition(received->partition),
      offset(received->offset),
      timestamp_ms(rd_kafka_message_timestamp(received, nullptr)) {
  if (received->rkt != nullptr) topic = rd_kafka_topic_name(received->rkt);
  if (received->key != nullptr)
    key.assign(static_cast<const char*>(received->key), received->key_len);
  if (received->payload != nullptr)
    payload.assign(static_cast<const char*>(received->payload), received->len);

  rd_kafka_headers_t* all = nullptr;
  // rd_kafka_message_headers parses lazily; the message keeps ownership of the headers.
  if (rd_kafka_message_headers(const_cast<rd_kafka_message_t*>(received), &all) ==
      RD_KAFKA_RESP_ERR_NO_ERROR) {
    const char* name = nullptr;
    const void* value = nullptr;
    size_t size = 0;
    for (size_t i = 0;
         rd_kafka_header_get_all(all, i, &name, &value, &size) == RD_KAFKA_RESP_ERR_NO_ERROR; ++i) {
      // A null header value (size 0, value nullptr) reads as an empty string.
      header_storage.emplace_back(
          name, value ? std::string(static_cast<const char*>(value), size) : std::string());
    }
  }
  // Views only once the storage no longer grows (a reallocation would move short strings).
  headers.reserve(header_storage.size());
  for (const auto& [name, value] : header_storage) headers.push_back(HeaderView{name, value});
}

ConsumedMessage::ConsumedMessage(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
ConsumedMessage::~ConsumedMessage() = default;
ConsumedMessage::ConsumedMessage(ConsumedMessage&&) noexcept = default;
ConsumedMessage& ConsumedMessage::operator=(ConsumedMessage&&) noexcept = default;

std::string_view ConsumedMessage::topic() const { return impl_->topic; }
std::int32_t ConsumedMessage::partition() const { return impl_->partition; }
std::int64_t ConsumedMessage::offset() const { return impl_->offset; }
std::string_view ConsumedMessage::key() const { return impl_->key; }
std::string_view ConsumedMessage::payload() const { return impl_->payload; }
std::int64_t ConsumedMessage::timestamp_ms() const { return impl_->timestamp_ms; }

std::span<const HeaderView> ConsumedMessage::headers() const { return impl_->headers; }

std::optional<std::string_view> ConsumedMessage::header(std::string_view name) const {
  for (const auto& header : impl_->headers)
    if (header.name == name) return header.value;
  return std::nullopt;
}

}  // namespace eskit::runtime::kafka
