// The effective configuration: every declared setting with its value and where it came from.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "eskit/runtime/config/origin.hpp"
#include "eskit/runtime/config/setting.hpp"

namespace eskit::runtime::config {

/// Made by `load`, which guarantees every declared setting has a value of its type. Asking
/// for an undeclared setting, or with the wrong type, is a bug in the service and throws
/// std::logic_error naming the setting.
class Config {
 public:
  struct Entry {
    Setting setting;
    Value value;
    Origin origin;
  };

  explicit Config(std::vector<Entry> entries);

  const std::string& string(std::string_view name) const { return get<std::string>(name); }
  std::int64_t integer(std::string_view name) const { return get<std::int64_t>(name); }
  bool boolean(std::string_view name) const { return get<bool>(name); }
  double number(std::string_view name) const { return get<double>(name); }
  std::chrono::milliseconds duration(std::string_view name) const {
    return get<std::chrono::milliseconds>(name);
  }
  const std::vector<std::string>& strings(std::string_view name) const {
    return get<std::vector<std::string>>(name);
  }

  const Origin& origin(std::string_view name) const { return entry(name).origin; }
  /// In declaration order.
  const std::vector<Entry>& entries() const { return entries_; }

  /// The effective configuration for debugging, one setting a line, secrets as `***`:
  ///
  ///   http.port        = 9090          ESKIT_HTTP_PORT
  ///   db.url           = ***           ESKIT_DB_URL_FILE=/run/secrets/db
  ///   payment.timeout  = 680ms         default
  std::string effective() const;

 private:
  template <class T>
  const T& get(std::string_view name) const {
    const Entry& e = entry(name);
    if (const T* v = std::get_if<T>(&e.value)) return *v;
    wrong_type(e);
  }
  const Entry& entry(std::string_view name) const;
  [[noreturn]] static void wrong_type(const Entry& entry);

  std::vector<Entry> entries_;
  std::map<std::string, std::size_t, std::less<>> index_;
};

}  // namespace eskit::runtime::config
