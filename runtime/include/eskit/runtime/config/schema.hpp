// The settings a service declares; the only place a setting's name, type and default live.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "eskit/runtime/config/setting.hpp"

namespace eskit::runtime::config {

/// Declared once at start-up, in the order the effective configuration is printed:
///
///   config::Schema schema;
///   schema.integer("http.port", 8080, "port the HTTP API listens on")
///         .string("db.url", config::required, "database URL", config::Visibility::secret)
///         .duration("payment.timeout", 680ms, "deadline of the payment call")
///         .strings("catcher.serviceArea", {"Seoul"}, "districts drivers are dispatched to");
///
/// A declaration mistake (a malformed or duplicate name, a name that is also a group such as
/// "http" next to "http.port", two names with one environment variable) is a bug in the
/// service, so it throws std::logic_error at once.
class Schema {
 public:
  /// Environment variables are `<prefix>_<NAME>`; "ESKIT" unless a service chooses otherwise.
  explicit Schema(std::string env_prefix = "ESKIT");

  Schema& string(std::string name, Default<std::string> fallback, std::string description,
                 Visibility visibility = Visibility::plain);
  Schema& integer(std::string name, Default<std::int64_t> fallback, std::string description,
                  Visibility visibility = Visibility::plain);
  Schema& boolean(std::string name, Default<bool> fallback, std::string description,
                  Visibility visibility = Visibility::plain);
  Schema& number(std::string name, Default<double> fallback, std::string description,
                 Visibility visibility = Visibility::plain);
  Schema& duration(std::string name, Default<std::chrono::milliseconds> fallback,
                   std::string description, Visibility visibility = Visibility::plain);
  Schema& strings(std::string name, Default<std::vector<std::string>> fallback,
                  std::string description, Visibility visibility = Visibility::plain);

  const std::vector<Setting>& settings() const { return settings_; }
  const Setting* find(std::string_view name) const;
  /// Whether `name` is a group of settings, e.g. "http" when "http.port" is declared.
  bool is_group(std::string_view name) const;
  const std::string& env_prefix() const { return env_prefix_; }

 private:
  Schema& add(std::string name, Type type, std::optional<Value> fallback, std::string description,
              Visibility visibility);

  std::string env_prefix_;
  std::vector<Setting> settings_;
  std::map<std::string, std::size_t, std::less<>> index_;
};

/// The environment variable of a setting: "catcher.serviceArea" -> "ESKIT_CATCHER_SERVICE_AREA"
/// (dots and dashes become '_', a capital after a lower-case letter or digit starts a word).
std::string env_var_name(std::string_view prefix, std::string_view setting);

}  // namespace eskit::runtime::config
