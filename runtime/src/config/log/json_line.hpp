// The pieces of a JSON log line. Hand-written rather than Boost.JSON: a line is appended
// into one reused buffer with no intermediate object, and invalid UTF-8 (a raw byte from a
// request) becomes U+FFFD instead of passing through and breaking the log pipeline's parser.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

namespace eskit::runtime::log {

/// `text` as a JSON string, quotes included: `"`, `\` and control characters escaped,
/// each byte of invalid UTF-8 replaced by U+FFFD.
void append_json_string(std::string& out, std::string_view text);

/// The shortest text that reads back as `value`; null for NaN and infinities, which JSON
/// cannot write.
void append_json_number(std::string& out, double value);

/// RFC 3339 in UTC with milliseconds, quotes included: "2024-05-01T09:30:00.125Z".
void append_timestamp(std::string& out, std::chrono::system_clock::time_point when);

}  // namespace eskit::runtime::log
