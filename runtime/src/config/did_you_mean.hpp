// Suggesting the setting a misspelt key most likely meant.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace eskit::runtime::config {

/// "did you mean 'http.port'?" for the candidate closest to `name`, or empty when none is
/// close (at most a third of the name changed, case ignored, a swapped pair one edit).
std::string did_you_mean(std::string_view name, const std::vector<std::string>& candidates);

}  // namespace eskit::runtime::config
