#pragma once
// What a command makes of a synchronous call's result: it goes on when the callee accepted
// (2xx, or the fallback's fixed or cached answer), and is refused otherwise, so "no payment,
// no match" holds without the caller writing anything:
//   - the callee refused (4xx): 409 "refused-by-<callee>" with the callee's own reason;
//   - it could not be reached, failed, timed out, or was not called (breaker open, bulkhead
//     full, rate limited): 503 "try-later" with the fallback's message and Retry-After.
#include <string_view>

#include "eskit/runtime/http/client.hpp"
#include "eskit/runtime/resilience/resilient_client.hpp"

namespace eskit::runtime::resilience {

// The accepted answer; throws http::Problem as above.
const http::ClientResponse& accepted(const ResilientResult& result, std::string_view callee);

}  // namespace eskit::runtime::resilience
