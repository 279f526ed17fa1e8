#pragma once
// Protects routes: a request needs a valid bearer token (RFC 6750) — or, behind a trusted
// gateway, a forwarded identity — and, when the route names roles, one of them.
//
//   auth::Guard guard{verifier};
//   router.post("/sitters/{sitterId}/approve",
//               guard.protect({"ADMIN"}, [](http::Request& request, const auth::Identity& who) {
//                 ...  // who.subject approved request.param("sitterId")
//               }));
//
// Refusals are RFC 9457 problems: 401 "missing-token" or "invalid-token" with a
// WWW-Authenticate challenge, 403 "forbidden" when no required role is held.
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "eskit/runtime/auth/forwarding.hpp"
#include "eskit/runtime/auth/identity.hpp"
#include "eskit/runtime/auth/verifier.hpp"
#include "eskit/runtime/http/request.hpp"
#include "eskit/runtime/http/response.hpp"
#include "eskit/runtime/http/router.hpp"

namespace eskit::runtime::auth {

using AuthenticatedHandler = std::function<http::Response(http::Request&, const Identity&)>;

struct GuardOptions {
  std::string realm{};  // the challenge's realm="..."; empty: none
  ForwardedIdentity forwarded{};
};

class Guard {
 public:
  explicit Guard(JwtVerifier verifier, GuardOptions options = {});

  // The caller's identity; throws http::Problem 401 with WWW-Authenticate when there is no
  // valid credential. A trusted forwarded identity wins over a token; an untrusted one is
  // ignored.
  [[nodiscard]] Identity authenticate(const http::Request& request) const;

  // Throws http::Problem 403 unless identity.has_any_role(allowed).
  static void authorize(const Identity& identity, const std::vector<std::string>& allowed);

  // A route handler that authenticates, authorizes against `allowed_roles` (empty: any
  // authenticated caller), then runs `handler`. A JSON route still answers 415/400 for a bad
  // body before this runs; register it with http::Body::any to check the caller first.
  [[nodiscard]] http::Handler protect(std::vector<std::string> allowed_roles,
                                      AuthenticatedHandler handler) const;
  [[nodiscard]] http::Handler protect(AuthenticatedHandler handler) const;

 private:
  struct Impl;
  std::shared_ptr<const Impl> impl_;
};

}  // namespace eskit::runtime::auth
