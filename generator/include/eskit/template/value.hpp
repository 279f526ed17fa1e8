// What templates render over: a small JSON-like value tree the generator builds from the typed
// model. Lists and objects are immutable once wrapped in a Value and shared, so copying a Value
// costs a reference count, never a deep copy.
#pragma once

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace eskit::tmpl {

class Value;
class Object;
using List = std::vector<Value>;

class Value {
 public:
  enum class Kind : std::uint8_t { null, boolean, integer, string, list, object };

  Value() noexcept = default;
  Value(std::nullptr_t) noexcept {}
  Value(bool b) noexcept : data_(b) {}
  template <std::integral I>
  requires(!std::same_as<I, bool> && !std::same_as<I, char>) Value(I i)
  noexcept : data_(static_cast<std::int64_t>(i)) {}
  // Without these a string literal would convert to bool.
  Value(const char* s) : data_(std::string(s)) {}
  Value(std::string_view s) : data_(std::string(s)) {}
  Value(std::string s) noexcept : data_(std::move(s)) {}
  Value(List items);
  Value(Object entries);

  Kind kind() const { return static_cast<Kind>(data_.index()); }
  bool is_null() const { return kind() == Kind::null; }

  /// The payload; calling the accessor of another kind is a programming error (it throws).
  bool as_bool() const { return std::get<bool>(data_); }
  std::int64_t as_integer() const { return std::get<std::int64_t>(data_); }
  const std::string& as_string() const { return std::get<std::string>(data_); }
  const List& as_list() const;
  const Object& as_object() const;

  /// The value under `key` of an object; nullptr for a missing key or a non-object.
  const Value* find(std::string_view key) const;

  /// False for null, false, 0, "" and empty lists and objects; true otherwise.
  bool truthy() const;

  /// Deep equality; values of different kinds are never equal (1 != "1").
  friend bool operator==(const Value& a, const Value& b);

 private:
  std::variant<std::monostate, bool, std::int64_t, std::string, std::shared_ptr<const List>,
               std::shared_ptr<const Object>>
      data_;
};

/// The kind's name as messages say it: "null", "a bool", "an integer", "a string", ...
const char* describe(Value::Kind kind);

/// An object whose keys iterate in insertion order, so output never depends on hashing.
class Object {
 public:
  using Entry = std::pair<std::string, Value>;

  Object() = default;
  /// A key given twice keeps its first position and its last value.
  Object(std::initializer_list<Entry> entries);

  /// Adds `key` at the end, or replaces its value in place if it is already there.
  Object& set(std::string key, Value value);

  const Value* find(std::string_view key) const;
  bool contains(std::string_view key) const { return find(key) != nullptr; }
  std::size_t size() const { return entries_.size(); }
  bool empty() const { return entries_.empty(); }
  const std::vector<Entry>& entries() const { return entries_; }
  auto begin() const { return entries_.begin(); }
  auto end() const { return entries_.end(); }

 private:
  std::vector<Entry> entries_;
  // Indices into entries_ ordered by key, for binary search.
  std::vector<std::uint32_t> by_key_;
};

}  // namespace eskit::tmpl
