#pragma once
// The JWS algorithms the runtime signs and verifies with. A verifier is configured with one;
// the token's own "alg" header is only checked against it, never obeyed.
#include <optional>
#include <string_view>

namespace eskit::runtime::auth {

enum class Algorithm {
  hs256,  // HMAC-SHA256 with a shared secret: whoever verifies can also sign
  rs256,  // RSASSA-PKCS1-v1_5 with SHA-256: services hold only the issuer's public key
};

// "HS256", "RS256": the names of RFC 7518 §3.1.
[[nodiscard]] std::string_view to_string(Algorithm algorithm) noexcept;
// Exact, case-sensitive names only, as in a token header; nullopt for anything else ("none").
[[nodiscard]] std::optional<Algorithm> parse_algorithm(std::string_view name) noexcept;

}  // namespace eskit::runtime::auth
