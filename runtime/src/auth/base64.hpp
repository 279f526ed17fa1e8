#pragma once
// Base64 without padding: the URL-safe alphabet for JWS parts (RFC 7515 §2), the standard one
// for password hashes (the PHC string format). Decoding is strict: one encoding per byte
// string, so a token cannot be altered without changing its signature input.
#include <optional>
#include <string>
#include <string_view>

namespace eskit::runtime::auth::detail {

enum class Alphabet { url, standard };

[[nodiscard]] std::string base64_encode(std::string_view bytes, Alphabet alphabet);
// nullopt for a character outside the alphabet, padding, a length no encoding has
// (4k + 1), or unused low bits that are not zero.
[[nodiscard]] std::optional<std::string> base64_decode(std::string_view text, Alphabet alphabet);

inline std::string base64url_encode(std::string_view bytes) {
  return base64_encode(bytes, Alphabet::url);
}
inline std::optional<std::string> base64url_decode(std::string_view text) {
  return base64_decode(text, Alphabet::url);
}

}  // namespace eskit::runtime::auth::detail
