#pragma once
// The current time as the model's `datetime` travels: ISO 8601 text.
#include <string>

namespace eskit::runtime::text {

// Now, in UTC with milliseconds: "2026-12-07T06:11:41.123Z". The model's now().
std::string now_iso8601();

}  // namespace eskit::runtime::text
