#include "eskit/runtime/auth/guard.hpp"

#include <boost/json/string.hpp>
#include <boost/json/value.hpp>

#include "eskit/runtime/http/problem.hpp"

namespace eskit::runtime::auth {

struct Guard::Impl {
  JwtVerifier verifier;
  GuardOptions options;
};

namespace {

// RFC 6750 §3: a quoted value may hold only %x20-21 / %x23-5B / %x5D-7E. Messages are the
// verifier's fixed texts, but the realm comes from configuration.
std::string quoted(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    auto byte = static_cast<unsigned char>(c);
    bool allowed = byte >= 0x20 && byte <= 0x7E && c != '"' && c != '\\';
    out += allowed ? c : '?';
  }
  out += '"';
  return out;
}

std::string challenge(const GuardOptions& options, std::string_view error = {},
                      std::string_view description = {}) {
  std::string value = "Bearer";
  std::string separator = " ";
  if (!options.realm.empty()) {
    value += separator + "realm=" + quoted(options.realm);
    separator = ", ";
  }
  if (!error.empty()) {
    value += separator + "error=" + quoted(error);
    separator = ", ";
  }
  if (!description.empty()) value += separator + "error_description=" + quoted(description);
  return value;
}

// RFC 6750 §3.1: a request with no credentials gets a bare challenge, no error code.
http::Problem missing_token(const GuardOptions& options) {
  return http::Problem{401, "missing-token", "this endpoint needs a bearer token"}.header(
      "WWW-Authenticate", challenge(options));
}

http::Problem invalid_token(const GuardOptions& options, std::string_view reason,
                            const std::string& message) {
  http::Problem problem{401, "invalid-token", message};
  problem.with("reason", boost::json::string(reason));
  problem.header("WWW-Authenticate", challenge(options, "invalid_token", message));
  return problem;
}

bool is_token68(std::string_view token) {
  for (char c : token) {
    bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '.' || c == '_' || c == '~' || c == '+' || c == '/' || c == '=';
    if (!ok) return false;
  }
  return !token.empty();
}

}  // namespace

Guard::Guard(JwtVerifier verifier, GuardOptions options)
    : impl_(std::make_shared<const Impl>(Impl{std::move(verifier), std::move(options)})) {}

Identity Guard::authenticate(const http::Request& request) const {
  const GuardOptions& options = impl_->options;
  if (auto forwarded = read_forwarded_identity(request.headers(), options.forwarded))
    return *forwarded;

  std::size_t fields = 0;
  for (const auto& [name, value] : request.headers())
    fields += http::iequals(name, "Authorization") ? 1 : 0;
  if (fields == 0) throw missing_token(options);
  if (fields > 1)
    throw invalid_token(options, "malformed", "the request has more than one Authorization header");
  std::string_view value = *request.headers().get("Authorization");
  std::size_t space = value.find(' ');
  // Another scheme (Basic, a cookie-less session) carries no bearer token at all.
  if (!http::iequals(value.substr(0, space), "Bearer")) throw missing_token(options);
  std::string_view token =
      space == std::string_view::npos ? std::string_view{} : value.substr(space);
  while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
  if (!is_token68(token))
    throw invalid_token(options, "malformed", "the Authorization header holds no bearer token");

  VerifyResult result = impl_->verifier.verify(token);
  if (!result) throw invalid_token(options, to_string(result.error().code), result.error().message);
  Identity identity;
  identity.subject = result->subject;
  identity.roles = result->roles;
  identity.source = Identity::Source::token;
  identity.claims_json = result->json;
  return identity;
}

void Guard::authorize(const Identity& identity, const std::vector<std::string>& allowed) {
  if (identity.has_any_role(allowed)) return;
  std::string roles;
  for (const std::string& role : allowed) roles += (roles.empty() ? "" : ", ") + role;
  throw http::Problem{403, "forbidden",
                      allowed.size() == 1 ? "this action needs the role " + roles
                                          : "this action needs one of the roles " + roles};
}

http::Handler Guard::protect(std::vector<std::string> allowed_roles,
                             AuthenticatedHandler handler) const {
  return [guard = *this, allowed = std::move(allowed_roles),
          handler = std::move(handler)](http::Request& request) {
    Identity identity = guard.authenticate(request);
    authorize(identity, allowed);
    return handler(request, identity);
  };
}

http::Handler Guard::protect(AuthenticatedHandler handler) const {
  return protect({}, std::move(handler));
}

}  // namespace eskit::runtime::auth
