#include "crypto.hpp"

#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/hmac.h>
#include <openssl/pem.h>
#include <openssl/rand.h>

#include <cstdint>
#include <stdexcept>

namespace eskit::runtime::auth::detail {

namespace {

struct BioFree {
  void operator()(BIO* bio) const noexcept { BIO_free(bio); }
};
struct MdCtxFree {
  void operator()(EVP_MD_CTX* ctx) const noexcept { EVP_MD_CTX_free(ctx); }
};
using Bio = std::unique_ptr<BIO, BioFree>;
using MdCtx = std::unique_ptr<EVP_MD_CTX, MdCtxFree>;

Bio memory_bio(std::string_view text) {
  if (text.size() > static_cast<std::size_t>(INT32_MAX))
    throw std::invalid_argument("the key is too large");
  Bio bio(BIO_new_mem_buf(text.data(), static_cast<int>(text.size())));
  if (!bio) throw std::runtime_error("cannot allocate a BIO: " + openssl_error());
  return bio;
}

Pkey checked_rsa(EVP_PKEY* raw, std::string_view what) {
  if (!raw) throw std::invalid_argument(std::string(what) + " does not parse: " + openssl_error());
  Pkey key(raw, PkeyFree{});
  if (EVP_PKEY_is_a(raw, "RSA") != 1)
    throw std::invalid_argument(std::string(what) + " is not an RSA key");
  if (EVP_PKEY_get_bits(raw) < min_rsa_bits)
    throw std::invalid_argument(std::string(what) + " has " +
                                std::to_string(EVP_PKEY_get_bits(raw)) +
                                " bits; RS256 needs at least " + std::to_string(min_rsa_bits));
  return key;
}

}  // namespace

std::string openssl_error() {
  unsigned long code = ERR_get_error();
  ERR_clear_error();
  if (code == 0) return "no reason given by OpenSSL";
  char text[256];
  ERR_error_string_n(code, text, sizeof text);
  return text;
}

Pkey rsa_public_key_from_pem(std::string_view pem) {
  Bio bio = memory_bio(pem);
  return checked_rsa(PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr),
                     "the RS256 public key (PEM \"BEGIN PUBLIC KEY\")");
}

Pkey rsa_private_key_from_pem(std::string_view pem) {
  Bio bio = memory_bio(pem);
  // An empty passphrase callback result: an encrypted key fails instead of prompting on a tty.
  auto no_passphrase = [](char*, int, int, void*) { return 0; };
  return checked_rsa(PEM_read_bio_PrivateKey(bio.get(), nullptr, no_passphrase, nullptr),
                     "the RS256 private key (PEM, unencrypted)");
}

void check_hmac_secret(std::string_view secret) {
  if (secret.size() < min_hmac_secret_bytes)
    throw std::invalid_argument("an HS256 secret needs at least " +
                                std::to_string(min_hmac_secret_bytes) + " bytes, got " +
                                std::to_string(secret.size()));
  if (secret.find("-----BEGIN") != std::string_view::npos)
    throw std::invalid_argument(
        "an HS256 secret must not be a PEM key: anyone holding the public key could sign");
}

std::string hmac_sha256(std::string_view key, std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (!HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
            reinterpret_cast<const unsigned char*>(data.data()), data.size(), out, &length))
    throw std::runtime_error("HMAC-SHA256 failed: " + openssl_error());
  return std::string(reinterpret_cast<const char*>(out), length);
}

bool equal_in_constant_time(std::string_view a, std::string_view b) noexcept {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string rsa_sha256_sign(EVP_PKEY* private_key, std::string_view data) {
  MdCtx ctx(EVP_MD_CTX_new());
  std::size_t length = 0;
  if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, private_key) != 1 ||
      EVP_DigestSign(ctx.get(), nullptr, &length,
                     reinterpret_cast<const unsigned char*>(data.data()), data.size()) != 1)
    throw std::runtime_error("RS256 signing failed: " + openssl_error());
  std::string signature(length, '\0');
  if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(signature.data()), &length,
                     reinterpret_cast<const unsigned char*>(data.data()), data.size()) != 1)
    throw std::runtime_error("RS256 signing failed: " + openssl_error());
  signature.resize(length);
  return signature;
}

bool rsa_sha256_verify(EVP_PKEY* public_key, std::string_view data, std::string_view signature) {
  MdCtx ctx(EVP_MD_CTX_new());
  bool ok = ctx &&
            EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha256(), nullptr, public_key) == 1 &&
            EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(signature.data()),
                             signature.size(), reinterpret_cast<const unsigned char*>(data.data()),
                             data.size()) == 1;
  // A failed verification leaves reasons on this thread's queue; they must not surface in
  // an unrelated later error.
  if (!ok) ERR_clear_error();
  return ok;
}

std::string random_bytes(std::size_t count) {
  std::string out(count, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(count)) != 1)
    throw std::runtime_error("the random generator failed: " + openssl_error());
  return out;
}

}  // namespace eskit::runtime::auth::detail
