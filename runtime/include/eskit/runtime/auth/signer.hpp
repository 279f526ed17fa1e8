#pragma once
// Issues tokens the JwtVerifier accepts: for a login endpoint, and for tests. Only the service
// that logs people in holds a signing key; with RS256 every other service holds the public key
// alone and cannot mint tokens even if it is compromised.
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "eskit/runtime/auth/algorithm.hpp"
#include "eskit/runtime/auth/clock.hpp"

namespace eskit::runtime::auth {

struct SignerOptions {
  // Every member has an initializer, so designated initializers may leave any out without
  // tripping -Wmissing-field-initializers.
  Algorithm algorithm = Algorithm::rs256;
  // HS256: the shared secret (at least 32 bytes). RS256: the private key, unencrypted PEM
  // ("BEGIN PRIVATE KEY" or "BEGIN RSA PRIVATE KEY"), at least 2048 bits.
  std::string key{};
  std::string issuer{};                  // iss
  std::vector<std::string> audiences{};  // aud: a string when one, else an array
  std::chrono::seconds lifetime{std::chrono::minutes{15}};
  std::string key_id{};  // kid header, for a verifier that picks keys by id; empty: none
  Clock clock{};         // empty: the system clock
};

struct TokenRequest {
  std::string subject{};  // sub
  std::vector<std::string> roles{};
  std::optional<std::chrono::seconds> lifetime{};  // instead of SignerOptions::lifetime
  // A JSON object of the service's own claims, merged into the payload; it may not redefine
  // sub, roles, iss, aud, iat, nbf, exp or jti.
  std::string extra_claims_json{};
};

struct IssuedToken {
  std::string token;  // the compact JWS, for "Authorization: Bearer <token>"
  std::string id;     // jti: 128 random bits, base64url
  std::chrono::sys_seconds issued_at;
  std::chrono::sys_seconds expires_at;
};

// Immutable once made: copies share the key and sign() is safe from many threads.
class JwtSigner {
 public:
  // Throws std::invalid_argument for a key that does not parse or is too weak, an empty
  // issuer or audience list, or a lifetime that is not positive.
  explicit JwtSigner(SignerOptions options);

  // Throws std::invalid_argument for an empty subject or bad extra claims.
  [[nodiscard]] IssuedToken sign(const TokenRequest& request) const;

 private:
  struct Impl;
  std::shared_ptr<const Impl> impl_;
};

}  // namespace eskit::runtime::auth
