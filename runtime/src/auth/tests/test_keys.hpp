#pragma once
// What the auth tests share: RSA keys generated at run time (no key is ever committed), a
// clock the test sets, and token forging below the signer, for headers and payloads no honest
// issuer would produce.
#include <chrono>
#include <string>
#include <string_view>

#include "eskit/runtime/auth/clock.hpp"

namespace eskit::runtime::auth::test {

struct KeyPair {
  std::string private_pem;  // PKCS#8 "BEGIN PRIVATE KEY"
  std::string public_pem;   // SubjectPublicKeyInfo "BEGIN PUBLIC KEY"
};

// Generated at run time, kept in the build tree (never the source tree) for the next test
// process.
const KeyPair& rsa_keys();
const KeyPair& other_rsa_keys();  // unrelated to rsa_keys()
KeyPair generate_rsa(int bits);
KeyPair generate_ec_p256();

// A secret long enough for HS256; not a real one.
inline const std::string hs_secret = "test-only-hs256-secret-0123456789abcdef";

// "<b64url(header)>.<b64url(payload)>.<b64url(signature)>", each part taken as given.
std::string compact(std::string_view header_json, std::string_view payload_json,
                    std::string_view signature);
std::string signed_hs256(std::string_view header_json, std::string_view payload_json,
                         std::string_view secret);
std::string signed_rs256(std::string_view header_json, std::string_view payload_json,
                         std::string_view private_pem);

// A clock tests move by hand.
class ManualClock {
 public:
  explicit ManualClock(std::chrono::system_clock::time_point now) : now_(now) {}
  void set(std::chrono::system_clock::time_point now) { now_ = now; }
  [[nodiscard]] std::chrono::system_clock::time_point now() const { return now_; }
  [[nodiscard]] Clock clock() const {
    return [this] { return now_; };
  }

 private:
  std::chrono::system_clock::time_point now_;
};

// 2023-11-14T22:13:20Z: a fixed "now" for tokens tests build by hand.
inline constexpr std::chrono::sys_seconds test_now{std::chrono::seconds{1'700'000'000}};

}  // namespace eskit::runtime::auth::test
