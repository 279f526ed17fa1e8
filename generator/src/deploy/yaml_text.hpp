// Scalars for YAML written by hand: plain when YAML reads them back as the same string,
// double-quoted otherwise, so a value such as `true`, `8080` or `a: b` stays a string.
#pragma once

#include <string>
#include <string_view>

namespace eskit::deploy {

std::string yaml_string(std::string_view text);

}  // namespace eskit::deploy
