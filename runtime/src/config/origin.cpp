#include "eskit/runtime/config/origin.hpp"

namespace eskit::runtime::config {

std::string to_string(const Origin& origin) {
  return origin.kind == Origin::Kind::fallback ? "default" : origin.where;
}

}  // namespace eskit::runtime::config
