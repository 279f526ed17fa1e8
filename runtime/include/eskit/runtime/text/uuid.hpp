#pragma once
// Random identifiers for events and requests.
#include <string>

namespace eskit::runtime::text {

// A random UUID v4 in its canonical text form ("8-4-4-4-12" lower-case hex). Unpredictable
// enough for identifiers, not for secrets (tokens and salts use OpenSSL's RAND_bytes).
std::string new_uuid();

}  // namespace eskit::runtime::text
