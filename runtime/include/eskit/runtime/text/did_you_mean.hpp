// Suggesting the name a misspelt one most likely meant. Shared by the runtime's configuration
// (unknown settings) and the generator's model checks (unknown references).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace eskit::runtime::text {

/// "did you mean 'x'?" for the candidate closest to `name`, or empty when none is close (at
/// most a third of the name changed, case ignored, a swapped pair one edit). A candidate equal
/// to `name` is never suggested.
std::string did_you_mean(std::string_view name, const std::vector<std::string>& candidates);

}  // namespace eskit::runtime::text
