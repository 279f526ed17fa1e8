#pragma once
// How a dotted setting is spelled as an environment variable: `catcher.serviceArea` with prefix
// `ESKIT` is `ESKIT_CATCHER_SERVICE_AREA`. One function for the configuration module that reads
// the variables and for the generator that writes them into manifests, so the two cannot drift.
#include <string>
#include <string_view>

namespace eskit::runtime::text {

/// Dots and dashes become `_`, a capital after a lower-case letter or digit starts a word,
/// everything is upper case; `prefix_` in front unless the prefix is empty.
std::string env_var_name(std::string_view prefix, std::string_view setting);

}  // namespace eskit::runtime::text
