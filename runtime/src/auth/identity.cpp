#include "eskit/runtime/auth/identity.hpp"

#include <algorithm>

namespace eskit::runtime::auth {

bool Identity::has_role(std::string_view role) const {
  return std::find(roles.begin(), roles.end(), role) != roles.end();
}

bool Identity::has_any_role(const std::vector<std::string>& allowed) const {
  if (allowed.empty()) return true;
  return std::any_of(allowed.begin(), allowed.end(),
                     [this](const std::string& role) { return has_role(role); });
}

}  // namespace eskit::runtime::auth
