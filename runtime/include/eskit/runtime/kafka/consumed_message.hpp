#pragma once
// A message received by a Consumer. It owns a copy of the message's bytes, so it may outlive
// its Consumer; every view it hands out (key, payload, headers) stays valid as long as the
// ConsumedMessage lives.

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string_view>

#include "eskit/runtime/kafka/header.hpp"

namespace eskit::runtime::kafka {

class ConsumedMessage {
 public:
  struct Impl;  // defined by the Kafka module; only a Consumer creates messages
  explicit ConsumedMessage(std::unique_ptr<Impl> impl);
  ~ConsumedMessage();
  ConsumedMessage(ConsumedMessage&&) noexcept;
  ConsumedMessage& operator=(ConsumedMessage&&) noexcept;

  std::string_view topic() const;
  std::int32_t partition() const;
  std::int64_t offset() const;
  std::string_view key() const;  // empty when the message has no key
  std::string_view payload() const;
  std::int64_t timestamp_ms() const;  // -1 when the broker provided none
  std::span<const HeaderView> headers() const;
  // The first header with this name, if any.
  std::optional<std::string_view> header(std::string_view name) const;

 private:
  friend class Consumer;
  std::unique_ptr<Impl> impl_;
};

}  // namespace eskit::runtime::kafka
