#pragma once
// The OpenSSL calls of the module, behind small owning types: keys from PEM, HMAC-SHA256,
// RSA-SHA256 sign and verify, random bytes. The only header of the module that includes
// OpenSSL.
#include <openssl/evp.h>

#include <memory>
#include <string>
#include <string_view>

namespace eskit::runtime::auth::detail {

struct PkeyFree {
  void operator()(EVP_PKEY* key) const noexcept { EVP_PKEY_free(key); }
};
// Shared: an EVP_PKEY is safe to use from many threads at once once loaded.
using Pkey = std::shared_ptr<EVP_PKEY>;

// RSA keys below this size are refused (NIST SP 800-131A; RFC 7518 §3.3 says 2048 too).
inline constexpr int min_rsa_bits = 2048;
// RFC 7518 §3.2: an HS256 key must be at least as long as the hash.
inline constexpr std::size_t min_hmac_secret_bytes = 32;

// Throw std::invalid_argument with OpenSSL's reason when the PEM is not an RSA key of at least
// min_rsa_bits.
Pkey rsa_public_key_from_pem(std::string_view pem);
Pkey rsa_private_key_from_pem(std::string_view pem);

// Throws std::invalid_argument for a secret too short for HS256, or one that is a PEM key:
// a service configured so would accept tokens "signed" with its public key.
void check_hmac_secret(std::string_view secret);

std::string hmac_sha256(std::string_view key, std::string_view data);
// Length check then CRYPTO_memcmp, so timing says nothing about where a forgery went wrong.
bool equal_in_constant_time(std::string_view a, std::string_view b) noexcept;

std::string rsa_sha256_sign(EVP_PKEY* private_key, std::string_view data);
bool rsa_sha256_verify(EVP_PKEY* public_key, std::string_view data, std::string_view signature);

// Throws std::runtime_error when the generator fails (it does not fall back to anything weaker).
std::string random_bytes(std::size_t count);

// The reason at the top of OpenSSL's error queue, which it then clears.
std::string openssl_error();

}  // namespace eskit::runtime::auth::detail
