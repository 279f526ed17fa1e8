#pragma once
// What a verified token says about its bearer (RFC 7519 §4.1 registered claims plus roles).
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace eskit::runtime::auth {

struct Claims {
  std::string subject;                // sub
  std::vector<std::string> roles;     // the roles claim: an array, or a space-separated string
  std::string issuer;                 // iss
  std::vector<std::string> audience;  // aud: a single string becomes one element
  std::optional<std::chrono::sys_seconds> expires_at;  // exp
  std::optional<std::chrono::sys_seconds> not_before;  // nbf
  std::optional<std::chrono::sys_seconds> issued_at;   // iat
  std::string token_id;                                // jti, empty when absent
  // The payload exactly as signed, for claims of the service's own (parse it with
  // boost::json::parse); already known to be a JSON object.
  std::string json;

  [[nodiscard]] bool has_role(std::string_view role) const;
};

}  // namespace eskit::runtime::auth
