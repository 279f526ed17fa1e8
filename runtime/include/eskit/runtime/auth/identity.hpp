#pragma once
// Who is calling, as a protected handler sees it: from a verified token, or forwarded by a
// gateway the service is configured to trust.
#include <string>
#include <string_view>
#include <vector>

namespace eskit::runtime::auth {

struct Identity {
  enum class Source { token, gateway };

  std::string subject{};
  std::vector<std::string> roles{};
  Source source = Source::token;
  // The verified token's payload (Claims::json) for claims of the service's own; empty when
  // the gateway forwarded the identity.
  std::string claims_json{};

  [[nodiscard]] bool has_role(std::string_view role) const;
  // True when `allowed` is empty or the identity holds at least one of its roles: a command's
  // `roles:` list in the model names who may issue it.
  [[nodiscard]] bool has_any_role(const std::vector<std::string>& allowed) const;
};

}  // namespace eskit::runtime::auth
