#pragma once
// Items with a separator between them: header values, environment lists, messages.
#include <string>
#include <string_view>
#include <vector>

namespace eskit::runtime::text {

std::string join(const std::vector<std::string>& items, std::string_view separator);

}  // namespace eskit::runtime::text
