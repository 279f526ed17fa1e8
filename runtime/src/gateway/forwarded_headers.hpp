#pragma once
// What a proxy changes in the headers it passes on (RFC 9110 §7.6): hop-by-hop fields stay on
// their hop, the upstream learns who the client was (X-Forwarded-*), and the framing is the
// gateway's own on each side.
#include <string_view>

#include "eskit/runtime/http/headers.hpp"
#include "eskit/runtime/http/request.hpp"

namespace eskit::runtime::gateway {

// The client's headers as the upstream gets them: hop-by-hop fields (and those the client's
// Connection field names) removed, Host, Content-Length and X-Request-Deadline left to the
// gateway's client, X-Correlation-Id set to `correlation_id`, X-Forwarded-For appended with
// the client's address, X-Forwarded-Proto and -Host set unless a proxy in front already did.
[[nodiscard]] http::Headers upstream_request_headers(const http::Request& request,
                                                     std::string_view correlation_id);

// The upstream's headers as the client gets them: hop-by-hop fields and the framing
// (Content-Length, Transfer-Encoding), which the gateway's server writes anew, removed.
[[nodiscard]] http::Headers client_response_headers(const http::Headers& upstream);

}  // namespace eskit::runtime::gateway
