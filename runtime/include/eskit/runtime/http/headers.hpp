#pragma once
// HTTP header fields: an ordered list with case-insensitive names (RFC 9110 §5.1), shared by
// the server's Request/Response and the client. A vector, not a map: services see few headers
// and order matters for repeated fields.
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace eskit::runtime::http {

class Headers {
 public:
  using Field = std::pair<std::string, std::string>;

  // Replaces every field of that name by one.
  void set(std::string name, std::string value);
  // Appends a field, keeping earlier ones of the same name.
  void add(std::string name, std::string value);
  void remove(std::string_view name);
  // The first field of that name.
  [[nodiscard]] std::optional<std::string_view> get(std::string_view name) const;
  [[nodiscard]] bool contains(std::string_view name) const { return get(name).has_value(); }

  [[nodiscard]] auto begin() const { return fields_.begin(); }
  [[nodiscard]] auto end() const { return fields_.end(); }
  [[nodiscard]] std::size_t size() const { return fields_.size(); }
  [[nodiscard]] bool empty() const { return fields_.empty(); }

 private:
  std::vector<Field> fields_;
};

// Carries the id of the work a request belongs to across services: the server takes it from
// the request (or makes one), logs with it and echoes it; the client forwards the caller's.
inline constexpr std::string_view correlation_header = "X-Correlation-Id";

// ASCII case-insensitive equality, for header names and tokens.
[[nodiscard]] bool iequals(std::string_view a, std::string_view b) noexcept;

}  // namespace eskit::runtime::http
