#pragma once
// A synchronous call made while serving a request goes out with that request's bearer token,
// so the callee checks the roles of the same caller: a relation between contexts never widens
// what the user may see (the token relay of OAuth 2.0 resource servers).
#include "eskit/runtime/http/client.hpp"
#include "eskit/runtime/http/request.hpp"

namespace eskit::runtime::http {

// `call` with the incoming request's Authorization header, when it has one.
[[nodiscard]] ClientRequest on_behalf_of(ClientRequest call, const Request& incoming);

}  // namespace eskit::runtime::http
