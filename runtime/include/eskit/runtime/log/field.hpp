// A key/value pair added to a log line: `log.info("call caught", {{"callId", id}, {"ms", 12}})`.
#pragma once

#include <concepts>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

namespace eskit::runtime::log {

/// Holds views, not copies, so building fields for a disabled level costs no allocation;
/// a field lives only for the log call it is passed to.
class Field {
 public:
  using Value =
      std::variant<std::string_view, std::int64_t, std::uint64_t, double, bool, std::nullptr_t>;

  Field(std::string_view key, std::string_view value) : key_(key), value_(value) {}
  Field(std::string_view key, const std::string& value)
      : key_(key), value_(std::string_view(value)) {}
  // Without this, a string literal would convert to bool.
  Field(std::string_view key, const char* value) : key_(key), value_(std::string_view(value)) {}
  Field(std::string_view key, bool value) : key_(key), value_(value) {}
  Field(std::string_view key, std::nullptr_t) : key_(key), value_(nullptr) {}
  template <std::signed_integral T>
  Field(std::string_view key, T value) : key_(key), value_(static_cast<std::int64_t>(value)) {}
  template <std::unsigned_integral T>
  requires(!std::same_as<T, bool>) Field(std::string_view key, T value)
      : key_(key), value_(static_cast<std::uint64_t>(value)) {}
  template <std::floating_point T>
  Field(std::string_view key, T value) : key_(key), value_(static_cast<double>(value)) {}

  std::string_view key() const { return key_; }
  const Value& value() const { return value_; }

 private:
  std::string_view key_;
  Value value_;
};

}  // namespace eskit::runtime::log
