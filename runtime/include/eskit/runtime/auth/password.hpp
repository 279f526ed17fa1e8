#pragma once
// Password storage with scrypt (RFC 7914): salted, deliberately slow and memory-hard, so a
// stolen table costs an attacker a fraction of a second and 32 MiB per guess. The stored string
// names its parameters, so they can be raised later while old hashes still verify:
//
//   $scrypt$N=32768,r=8,p=3$<salt>$<hash>       salt and hash in base64 without padding
//
//   std::string stored = auth::hash_password(input.password);     // at registration
//   if (!auth::verify_password(input.password, stored)) ...        // at login
//   if (auth::needs_rehash(stored)) stored = auth::hash_password(input.password);
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace eskit::runtime::auth {

// The defaults are one of OWASP's equivalent scrypt settings (2^15, 8, 3): 32 MiB per hash.
struct ScryptParams {
  std::uint64_t n = std::uint64_t{1} << 15;  // CPU/memory cost, a power of two
  std::uint32_t r = 8;                       // block size
  std::uint32_t p = 3;                       // parallelization (run one after the other)

  friend bool operator==(const ScryptParams&, const ScryptParams&) = default;
};

struct PasswordHash {
  ScryptParams params;
  std::string salt;  // raw bytes
  std::string hash;  // raw bytes
};

// Longer passwords are refused rather than hashed: no one types them, and they are a way to
// make the server work.
inline constexpr std::size_t max_password_bytes = 1024;

// A fresh 16-byte salt from the OpenSSL generator every time, so equal passwords never give
// equal strings. Throws std::invalid_argument for parameters out of bounds (N not a power of
// two or above 2^20, more than 256 MiB, r > 32, p > 16) or a password over
// max_password_bytes.
[[nodiscard]] std::string hash_password(std::string_view password, const ScryptParams& params = {});

// Recomputes with the stored parameters and salt and compares in constant time. False for a
// wrong password and for a stored string that does not parse or is out of bounds: a corrupt
// row locks its account rather than throwing in the login path.
[[nodiscard]] bool verify_password(std::string_view password, std::string_view stored);

// The parts of a stored string; nullopt when it is not one hash_password could have written.
[[nodiscard]] std::optional<PasswordHash> parse_password_hash(std::string_view stored);

// True when `stored` uses weaker parameters than `wanted` (or does not parse): hash the
// password again after a successful login.
[[nodiscard]] bool needs_rehash(std::string_view stored, const ScryptParams& wanted = {});

// Does the work of a verification and discards it, so a login for an unknown account takes
// as long as one with a wrong password and response times do not reveal who has an account.
void simulate_password_check(std::string_view password, const ScryptParams& params = {});

}  // namespace eskit::runtime::auth
