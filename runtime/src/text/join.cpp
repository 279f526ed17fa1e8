#include "eskit/runtime/text/join.hpp"

namespace eskit::runtime::text {

std::string join(const std::vector<std::string>& items, std::string_view separator) {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out += separator;
    out += item;
  }
  return out;
}

}  // namespace eskit::runtime::text
