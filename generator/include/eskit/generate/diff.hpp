// Unified diffs (`diff -u` format, three lines of context) for `eskit generate --dry-run`.
#pragma once

#include <string>
#include <string_view>

namespace eskit::generate {

/// The diff that turns `before` into `after`, headed `--- old_name` / `+++ new_name` (pass
/// "/dev/null" for a file that does not exist on that side); empty when the texts are equal.
std::string unified_diff(std::string_view old_name, std::string_view new_name,
                         std::string_view before, std::string_view after);

}  // namespace eskit::generate
