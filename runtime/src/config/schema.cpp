#include "eskit/runtime/config/schema.hpp"

#include <stdexcept>

#include "eskit/runtime/text/env_name.hpp"

namespace eskit::runtime::config {

namespace {

bool is_lower(char c) { return c >= 'a' && c <= 'z'; }
bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Segments are identifiers (letters, digits, '-', '_', starting with a letter) so that every
// name has an environment variable a shell can set.
bool valid_name(std::string_view name) {
  bool segment_start = true;
  for (char c : name) {
    if (c == '.') {
      if (segment_start) return false;
      segment_start = true;
    } else if (segment_start) {
      if (!is_lower(c) && !is_upper(c)) return false;
      segment_start = false;
    } else if (!is_lower(c) && !is_upper(c) && !is_digit(c) && c != '-' && c != '_') {
      return false;
    }
  }
  return !segment_start;
}

}  // namespace

std::string env_var_name(std::string_view prefix, std::string_view setting) {
  return text::env_var_name(prefix, setting);
}

Schema::Schema(std::string env_prefix) : env_prefix_(std::move(env_prefix)) {}

Schema& Schema::add(std::string name, Type type, std::optional<Value> fallback,
                    std::string description, Visibility visibility) {
  auto fail = [&](const std::string& why) {
    throw std::logic_error("configuration setting '" + name + "': " + why);
  };
  if (!valid_name(name)) fail("not a dotted name of identifiers such as 'http.port'");
  if (find(name)) fail("declared twice");
  if (is_group(name)) fail("already a group of settings, so it cannot also be one");
  for (const Setting& s : settings_) {
    if (name.starts_with(s.name + "."))
      fail("'" + s.name + "' is a setting, so it cannot be a group");
  }
  std::string env = env_var_name(env_prefix_, name);
  for (const Setting& s : settings_) {
    if (s.env_var == env) fail("has the same environment variable " + env + " as '" + s.name + "'");
  }
  index_.emplace(name, settings_.size());
  settings_.push_back(Setting{std::move(name), type, std::move(fallback), std::move(description),
                              visibility == Visibility::secret, std::move(env)});
  return *this;
}

const Setting* Schema::find(std::string_view name) const {
  auto it = index_.find(name);
  return it == index_.end() ? nullptr : &settings_[it->second];
}

bool Schema::is_group(std::string_view name) const {
  for (const Setting& s : settings_) {
    if (s.name.size() > name.size() && s.name.starts_with(name) && s.name[name.size()] == '.') {
      return true;
    }
  }
  return false;
}

namespace {

template <class T>
std::optional<Value> fallback_of(const Default<T>& d) {
  if (!d.value()) return std::nullopt;
  return Value(*d.value());
}

}  // namespace

Schema& Schema::string(std::string name, Default<std::string> fallback, std::string description,
                       Visibility visibility) {
  return add(std::move(name), Type::string, fallback_of(fallback), std::move(description),
             visibility);
}
Schema& Schema::integer(std::string name, Default<std::int64_t> fallback, std::string description,
                        Visibility visibility) {
  return add(std::move(name), Type::integer, fallback_of(fallback), std::move(description),
             visibility);
}
Schema& Schema::boolean(std::string name, Default<bool> fallback, std::string description,
                        Visibility visibility) {
  return add(std::move(name), Type::boolean, fallback_of(fallback), std::move(description),
             visibility);
}
Schema& Schema::number(std::string name, Default<double> fallback, std::string description,
                       Visibility visibility) {
  return add(std::move(name), Type::number, fallback_of(fallback), std::move(description),
             visibility);
}
Schema& Schema::duration(std::string name, Default<std::chrono::milliseconds> fallback,
                         std::string description, Visibility visibility) {
  return add(std::move(name), Type::duration, fallback_of(fallback), std::move(description),
             visibility);
}
Schema& Schema::strings(std::string name, Default<std::vector<std::string>> fallback,
                        std::string description, Visibility visibility) {
  return add(std::move(name), Type::strings, fallback_of(fallback), std::move(description),
             visibility);
}

}  // namespace eskit::runtime::config
