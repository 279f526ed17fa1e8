#pragma once
// Identity forwarded by the gateway as plain headers, so services behind it need not verify
// the token again. A header anyone can send is only an identity when the network guarantees
// the gateway sent it: services read these headers only when configured to trust them, and
// the gateway removes them from every request it receives before setting its own.
#include <optional>
#include <string>

#include "eskit/runtime/auth/identity.hpp"
#include "eskit/runtime/http/headers.hpp"

namespace eskit::runtime::auth {

struct ForwardedIdentity {
  // Off by default: enable only for a service that no client can reach except through the
  // gateway (a NetworkPolicy, a mesh with mTLS).
  bool trusted = false;
  std::string subject_header = "X-Eskit-Subject";
  std::string roles_header = "X-Eskit-Roles";  // comma-separated
};

// For the gateway: removes any forwarded-identity headers a client sent, then sets them from
// `identity`. Throws std::invalid_argument for a subject or role a header cannot carry
// unambiguously (empty subject, control characters, a comma or space in a role).
void forward_identity(const Identity& identity, http::Headers& headers,
                      const ForwardedIdentity& names = {});

// For the gateway: removes the headers, for requests it forwards without an identity.
void strip_forwarded_identity(http::Headers& headers, const ForwardedIdentity& names = {});

// For a service: the forwarded identity, or nullopt when `policy.trusted` is false, the
// subject header is absent, or a header is repeated or malformed.
[[nodiscard]] std::optional<Identity> read_forwarded_identity(const http::Headers& headers,
                                                              const ForwardedIdentity& policy);

}  // namespace eskit::runtime::auth
