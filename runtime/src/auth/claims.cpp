#include "eskit/runtime/auth/claims.hpp"

#include <algorithm>

namespace eskit::runtime::auth {

bool Claims::has_role(std::string_view role) const {
  return std::find(roles.begin(), roles.end(), role) != roles.end();
}

}  // namespace eskit::runtime::auth
