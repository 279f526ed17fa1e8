#pragma once
// Why a token was refused. The message is fixed text per reason and never echoes the token,
// so it can go into a WWW-Authenticate header or a log line as it is.
#include <string>
#include <string_view>

namespace eskit::runtime::auth {

enum class VerifyErrc {
  malformed,              // not three strict base64url parts of JSON objects, or a claim of the
                          // wrong type
  too_large,              // longer than VerifierOptions::max_token_bytes
  unsupported_algorithm,  // "none", or an algorithm the runtime does not implement
  algorithm_mismatch,     // a real algorithm, but not the one this verifier is configured with
                          // (the HS256/RS256 confusion attack lands here)
  bad_signature,          // the signature does not verify with any configured key
  expired,                // now >= exp + leeway
  not_yet_valid,          // now < nbf - leeway
  wrong_issuer,           // iss is not the configured issuer
  wrong_audience,         // aud names none of the configured audiences
  missing_claim,          // exp (when required), iss, aud or sub is absent
};

struct VerifyError {
  VerifyErrc code;
  std::string message;  // e.g. "the token has expired"
};

// "malformed", "expired", ...: stable names for logs and metrics labels.
[[nodiscard]] std::string_view to_string(VerifyErrc code) noexcept;

}  // namespace eskit::runtime::auth
