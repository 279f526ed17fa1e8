// One declared setting: its dotted name, type, default (or required), description and secrecy.
#pragma once

#include <chrono>
#include <concepts>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace eskit::runtime::config {

/// The kinds of value a setting holds. Each maps to one alternative of `Value`.
enum class Type { string, integer, boolean, number, duration, strings };

/// A setting's value; the alternative always matches the setting's `Type`.
using Value = std::variant<std::string, std::int64_t, bool, double, std::chrono::milliseconds,
                           std::vector<std::string>>;

/// Marks a setting that has no default: start-up fails unless some source sets it.
struct Required {};
inline constexpr Required required{};

/// A setting's fallback: a value of the setting's type, or `required`.
template <class T>
class Default {
 public:
  Default(Required) {}
  template <class U>
  requires std::constructible_from<T, U&&> &&
      (!std::same_as<std::remove_cvref_t<U>, Required>)Default(U&& value)
      : value_(T(std::forward<U>(value))) {}
  /// Lets a list setting be declared with `{"a", "b"}` or `{}`.
  Default(
      std::initializer_list<std::string> items) requires std::same_as<T, std::vector<std::string>>
      : value_(T(items)) {}

  const std::optional<T>& value() const { return value_; }

 private:
  std::optional<T> value_;
};

/// Secrets are never printed: the effective configuration and error messages show `***`.
enum class Visibility { plain, secret };

struct Setting {
  std::string name;  ///< dotted, e.g. "http.port", "catcher.serviceArea"
  Type type = Type::string;
  std::optional<Value> fallback;  ///< empty when the setting is required
  std::string description;
  bool secret = false;
  std::string env_var;  ///< e.g. "ESKIT_CATCHER_SERVICE_AREA"; filled by the Schema
};

/// "an integer", "a duration such as 500ms or 5s", ...: what a message says was expected.
std::string expected_text(Type type);

/// How a value reads in the effective configuration: strings quoted, lists in brackets,
/// durations in their largest whole unit ("90s", "5m", "250ms").
std::string display(const Value& value);

}  // namespace eskit::runtime::config
