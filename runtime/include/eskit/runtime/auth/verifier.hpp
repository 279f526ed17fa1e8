#pragma once
// Verifies JWS compact tokens (RFC 7515/7519) as RFC 8725 advises: the algorithm and keys come
// from configuration, the token's "alg" header is only compared with them; "none" is never
// accepted; issuer, audience, expiry and not-before are checked with a configured leeway.
//
//   auth::JwtVerifier verifier({.algorithm = auth::Algorithm::rs256,
//                               .keys = {public_key_pem},
//                               .issuer = "https://login.petmily.example",
//                               .audiences = {"petmily"}});
//   auto result = verifier.verify(token);
//   if (!result) log(result.error().message);
#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "eskit/runtime/auth/algorithm.hpp"
#include "eskit/runtime/auth/claims.hpp"
#include "eskit/runtime/auth/clock.hpp"
#include "eskit/runtime/auth/verify_error.hpp"

namespace eskit::runtime::auth {

struct VerifierOptions {
  // Every member has an initializer, so designated initializers may leave any out without
  // tripping -Wmissing-field-initializers.
  // The one algorithm accepted; a token whose header names another is refused.
  Algorithm algorithm = Algorithm::rs256;
  // HS256: the shared secret, at least 32 bytes (RFC 7518 §3.2) and never a PEM key.
  // RS256: the issuer's public key, PEM "BEGIN PUBLIC KEY", RSA of at least 2048 bits.
  // Usually one; the current and the previous key while a rotation is under way.
  std::vector<std::string> keys{};
  std::string issuer{};                  // required: iss must equal it
  std::vector<std::string> audiences{};  // required: aud must name at least one of them
  std::chrono::seconds leeway{30};       // clock skew tolerated on exp and nbf
  bool require_expiry = true;            // a token without exp never expires: refuse it
  std::string roles_claim = "roles";
  std::size_t max_token_bytes = 8 * 1024;
  Clock clock{};  // empty: the system clock
};

// The claims of a valid token, or why it is not valid.
class VerifyResult {
 public:
  VerifyResult(Claims claims) : value_(std::move(claims)) {}     // NOLINT: implicit
  VerifyResult(VerifyError error) : value_(std::move(error)) {}  // NOLINT: implicit

  [[nodiscard]] bool ok() const noexcept { return value_.index() == 0; }
  explicit operator bool() const noexcept { return ok(); }
  // Throw std::logic_error when called on the other alternative.
  [[nodiscard]] const Claims& claims() const;
  [[nodiscard]] const VerifyError& error() const;
  const Claims* operator->() const { return &claims(); }

 private:
  std::variant<Claims, VerifyError> value_;
};

// Immutable once made: copies share the parsed keys and verify() is safe from many threads.
class JwtVerifier {
 public:
  // Throws std::invalid_argument naming what is wrong: no key, a key that does not parse or is
  // too weak, an HS256 secret that is a PEM key, an empty issuer or audience list.
  explicit JwtVerifier(VerifierOptions options);

  [[nodiscard]] VerifyResult verify(std::string_view token) const;

 private:
  struct Impl;
  std::shared_ptr<const Impl> impl_;
};

}  // namespace eskit::runtime::auth
