#include <algorithm>

#include "eskit/template/value.hpp"

namespace eskit::tmpl {

Value::Value(List items) : data_(std::make_shared<const List>(std::move(items))) {}

Value::Value(Object entries) : data_(std::make_shared<const Object>(std::move(entries))) {}

const List& Value::as_list() const { return *std::get<std::shared_ptr<const List>>(data_); }

const Object& Value::as_object() const { return *std::get<std::shared_ptr<const Object>>(data_); }

const Value* Value::find(std::string_view key) const {
  const auto* object = std::get_if<std::shared_ptr<const Object>>(&data_);
  return object ? (*object)->find(key) : nullptr;
}

bool Value::truthy() const {
  switch (kind()) {
    case Kind::null:
      return false;
    case Kind::boolean:
      return as_bool();
    case Kind::integer:
      return as_integer() != 0;
    case Kind::string:
      return !as_string().empty();
    case Kind::list:
      return !as_list().empty();
    case Kind::object:
      return !as_object().empty();
  }
  return false;
}

bool operator==(const Value& a, const Value& b) {
  if (a.kind() != b.kind()) return false;
  switch (a.kind()) {
    case Value::Kind::null:
      return true;
    case Value::Kind::boolean:
      return a.as_bool() == b.as_bool();
    case Value::Kind::integer:
      return a.as_integer() == b.as_integer();
    case Value::Kind::string:
      return a.as_string() == b.as_string();
    case Value::Kind::list:
      return a.data_ == b.data_ || a.as_list() == b.as_list();
    case Value::Kind::object: {
      if (a.data_ == b.data_) return true;
      const Object& x = a.as_object();
      const Object& y = b.as_object();
      if (x.size() != y.size()) return false;
      return std::all_of(x.begin(), x.end(), [&](const Object::Entry& e) {
        const Value* other = y.find(e.first);
        return other && *other == e.second;
      });
    }
  }
  return false;
}

const char* describe(Value::Kind kind) {
  switch (kind) {
    case Value::Kind::null:
      return "null";
    case Value::Kind::boolean:
      return "a bool";
    case Value::Kind::integer:
      return "an integer";
    case Value::Kind::string:
      return "a string";
    case Value::Kind::list:
      return "a list";
    case Value::Kind::object:
      return "an object";
  }
  return "a value";
}

Object::Object(std::initializer_list<Entry> entries) {
  for (const auto& [key, value] : entries) set(key, value);
}

Object& Object::set(std::string key, Value value) {
  auto at = std::lower_bound(by_key_.begin(), by_key_.end(), std::string_view(key),
                             [this](std::uint32_t i, std::string_view k) {
                               return std::string_view(entries_[i].first) < k;
                             });
  if (at != by_key_.end() && entries_[*at].first == key) {
    entries_[*at].second = std::move(value);
  } else {
    by_key_.insert(at, static_cast<std::uint32_t>(entries_.size()));
    entries_.emplace_back(std::move(key), std::move(value));
  }
  return *this;
}

const Value* Object::find(std::string_view key) const {
  // Model objects are small: a scan that compares lengths first beats a binary search.
  if (entries_.size() <= 8) {
    for (const auto& entry : entries_) {
      if (entry.first.size() == key.size() && entry.first == key) return &entry.second;
    }
    return nullptr;
  }
  auto at = std::lower_bound(by_key_.begin(), by_key_.end(), key,
                             [this](std::uint32_t i, std::string_view k) {
                               return std::string_view(entries_[i].first) < k;
                             });
  if (at == by_key_.end() || entries_[*at].first != key) return nullptr;
  return &entries_[*at].second;
}

}  // namespace eskit::tmpl
