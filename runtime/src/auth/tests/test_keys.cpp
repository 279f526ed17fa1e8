#include "test_keys.hpp"

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <stdexcept>

#include "auth/base64.hpp"
#include "auth/crypto.hpp"

namespace eskit::runtime::auth::test {

namespace {

std::string pem_of(EVP_PKEY* key, bool private_part) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), BIO_free);
  int ok = private_part
               ? PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr)
               : PEM_write_bio_PUBKEY(bio.get(), key);
  if (ok != 1) throw std::runtime_error("cannot write a test key as PEM");
  char* data = nullptr;
  long size = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(size));
}

KeyPair pair_of(EVP_PKEY* raw) {
  if (!raw) throw std::runtime_error("cannot generate a test key");
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(raw, EVP_PKEY_free);
  return {pem_of(key.get(), true), pem_of(key.get(), false)};
}

KeyPair pair_from_private_pem(const std::string& pem) {
  detail::Pkey key = detail::rsa_private_key_from_pem(pem);
  return {pem_of(key.get(), true), pem_of(key.get(), false)};
}

// ctest runs every test in its own process, and generating a 2048-bit key takes up to a
// second on a busy machine: the first process writes its keys into the build tree and the
// others read them. Written to a unique name and renamed, so parallel runs never read half a
// file; a file that does not parse is simply replaced.
KeyPair cached_rsa(const std::string& name) {
  namespace fs = std::filesystem;
  fs::path file = fs::path(ESKIT_AUTH_TEST_KEY_DIR) / (name + ".pem");
  if (std::ifstream in{file}) {
    std::ostringstream text;
    text << in.rdbuf();
    try {
      return pair_from_private_pem(text.str());
    } catch (const std::invalid_argument&) {
    }
  }
  KeyPair fresh = generate_rsa(2048);
  std::error_code ec;
  fs::create_directories(file.parent_path(), ec);
  fs::path partial = file;
  partial += ".partial-" + std::to_string(::getpid());
  if (std::ofstream(partial, std::ios::binary) << fresh.private_pem) {
    fs::permissions(partial, fs::perms::owner_read | fs::perms::owner_write, ec);
    fs::rename(partial, file, ec);
  }
  fs::remove(partial, ec);
  return fresh;
}

}  // namespace

KeyPair generate_rsa(int bits) { return pair_of(EVP_RSA_gen(static_cast<unsigned>(bits))); }

KeyPair generate_ec_p256() { return pair_of(EVP_EC_gen("P-256")); }

const KeyPair& rsa_keys() {
  static const KeyPair keys = cached_rsa("rsa-main");
  return keys;
}

const KeyPair& other_rsa_keys() {
  static const KeyPair keys = cached_rsa("rsa-other");
  return keys;
}

std::string compact(std::string_view header_json, std::string_view payload_json,
                    std::string_view signature) {
  return detail::base64url_encode(header_json) + '.' + detail::base64url_encode(payload_json) +
         '.' + detail::base64url_encode(signature);
}

std::string signed_hs256(std::string_view header_json, std::string_view payload_json,
                         std::string_view secret) {
  std::string input =
      detail::base64url_encode(header_json) + '.' + detail::base64url_encode(payload_json);
  return input + '.' + detail::base64url_encode(detail::hmac_sha256(secret, input));
}

std::string signed_rs256(std::string_view header_json, std::string_view payload_json,
                         std::string_view private_pem) {
  std::string input =
      detail::base64url_encode(header_json) + '.' + detail::base64url_encode(payload_json);
  detail::Pkey key = detail::rsa_private_key_from_pem(private_pem);
  return input + '.' + detail::base64url_encode(detail::rsa_sha256_sign(key.get(), input));
}

}  // namespace eskit::runtime::auth::test
