// scrypt password storage: salted, self-describing, compared in constant time, and a damaged
// stored string is a failed login, never a crash or a huge allocation.
#include "eskit/runtime/auth/password.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

namespace eskit::runtime::auth {
namespace {

// Cheap parameters keep the suite fast; one test runs the defaults.
constexpr ScryptParams fast{.n = 1024, .r = 8, .p = 1};

TEST(Password, VerifiesTheRightPasswordOnly) {
  std::string stored = hash_password("petmily-1234", fast);
  EXPECT_TRUE(verify_password("petmily-1234", stored));
  EXPECT_FALSE(verify_password("petmily-1235", stored));
  EXPECT_FALSE(verify_password("petmily-123", stored));
  EXPECT_FALSE(verify_password("", stored));
  EXPECT_FALSE(verify_password("PETMILY-1234", stored));
}

TEST(Password, DefaultParametersRoundTrip) {
  std::string stored = hash_password("petmily-1234");
  EXPECT_TRUE(stored.starts_with("$scrypt$N=32768,r=8,p=3$")) << stored;
  EXPECT_TRUE(verify_password("petmily-1234", stored));
  EXPECT_FALSE(needs_rehash(stored));
}

TEST(Password, SamePasswordHashesDifferentlyEachTime) {
  std::string a = hash_password("petmily-1234", fast);
  std::string b = hash_password("petmily-1234", fast);
  EXPECT_NE(a, b);
  EXPECT_NE(parse_password_hash(a)->salt, parse_password_hash(b)->salt);
  EXPECT_TRUE(verify_password("petmily-1234", a));
  EXPECT_TRUE(verify_password("petmily-1234", b));
}

TEST(Password, StoredStringNamesItsParameters) {
  std::string stored = hash_password("pw", {.n = 2048, .r = 4, .p = 2});
  auto parsed = parse_password_hash(stored);
  ASSERT_TRUE(parsed) << stored;
  EXPECT_EQ(parsed->params, (ScryptParams{.n = 2048, .r = 4, .p = 2}));
  EXPECT_EQ(parsed->salt.size(), 16u);
  EXPECT_EQ(parsed->hash.size(), 32u);
  EXPECT_TRUE(stored.starts_with("$scrypt$N=2048,r=4,p=2$"));
  EXPECT_EQ(stored.find('='), stored.find("N=") + 1);  // no base64 padding anywhere
}

TEST(Password, WeakerStoredParametersNeedARehash) {
  std::string old = hash_password("pw", fast);
  EXPECT_TRUE(needs_rehash(old));
  EXPECT_FALSE(needs_rehash(old, fast));
  EXPECT_TRUE(needs_rehash(old, {.n = 1024, .r = 8, .p = 2}));
  EXPECT_TRUE(needs_rehash("not a hash"));
}

TEST(Password, PlainTextIsNeverStored) {
  std::string stored = hash_password("petmily-1234", fast);
  EXPECT_EQ(stored.find("petmily"), std::string::npos);
  EXPECT_FALSE(verify_password("petmily-1234", "petmily-1234"));  // a plain-text row
}

TEST(Password, TamperedStoredStringsAreRefusedCleanly) {
  std::string stored = hash_password("pw", fast);
  std::size_t last = stored.rfind('$');
  std::string flipped = stored;
  flipped[last + 1] = flipped[last + 1] == 'A' ? 'B' : 'A';
  EXPECT_FALSE(verify_password("pw", flipped));
  std::string other_salt = stored;
  other_salt[stored.rfind('$', last - 1) + 1] ^= 0x01;
  EXPECT_FALSE(verify_password("pw", other_salt));

  const std::string hash_part = stored.substr(stored.find('$', 8));
  for (const std::string& bad : {
           std::string(),
           std::string("$scrypt$"),
           stored.substr(0, stored.size() - 1),         // a hash one char short
           stored + "$",                                // an extra field
           stored + "==",                               // padding
           "$scrypt2$N=1024,r=8,p=1" + hash_part,       // unknown scheme
           "$scrypt$N=1000,r=8,p=1" + hash_part,        // N not a power of two
           "$scrypt$N=1073741824,r=8,p=1" + hash_part,  // 2^30: far too much memory
           "$scrypt$N=1048576,r=8,p=1" + hash_part,     // 1 GiB
           "$scrypt$N=1024,r=0,p=1" + hash_part,
           "$scrypt$N=1024,r=8,p=0" + hash_part,
           "$scrypt$N=1024,r=8,p=99" + hash_part,
           "$scrypt$N=1024,r=8,p=4294967297" + hash_part,
           "$scrypt$N=1024,r=8" + hash_part,
           "$scrypt$N=1024,r=8,p=1,x=2" + hash_part,
           "$scrypt$N=+1024,r=8,p=1" + hash_part,
           "$scrypt$N=1024 ,r=8,p=1" + hash_part,
           "$scrypt$n=1024,r=8,p=1" + hash_part,
           "$scrypt$N=1024,r=8,p=1$c2FsdA$" + std::string(43, 'A'),  // salt too short
       }) {
    EXPECT_FALSE(parse_password_hash(bad)) << bad;
    EXPECT_FALSE(verify_password("pw", bad)) << bad;
  }
}

TEST(Password, OverlongPasswordsAreRefused) {
  std::string longest(max_password_bytes, 'p');
  std::string stored = hash_password(longest, fast);
  EXPECT_TRUE(verify_password(longest, stored));
  EXPECT_THROW((void)hash_password(longest + 'p', fast), std::invalid_argument);
  EXPECT_FALSE(verify_password(longest + 'p', stored));
}

TEST(Password, PasswordsAreBytesNotCStrings) {
  std::string with_nul("pa\0ss", 5);
  std::string stored = hash_password(with_nul, fast);
  EXPECT_TRUE(verify_password(with_nul, stored));
  EXPECT_FALSE(verify_password("pa", stored));
  EXPECT_TRUE(verify_password("비밀번호", hash_password("비밀번호", fast)));
}

TEST(Password, ParametersOutOfBoundsAreRefusedForHashing) {
  EXPECT_THROW((void)hash_password("pw", {.n = 1000, .r = 8, .p = 1}), std::invalid_argument);
  EXPECT_THROW((void)hash_password("pw", {.n = 1 << 21, .r = 8, .p = 1}), std::invalid_argument);
  EXPECT_THROW((void)hash_password("pw", {.n = 1024, .r = 0, .p = 1}), std::invalid_argument);
  EXPECT_THROW((void)hash_password("pw", {.n = 1024, .r = 8, .p = 17}), std::invalid_argument);
}

TEST(Password, SimulatedCheckDoesTheWorkWithoutAnAccount) {
  EXPECT_NO_THROW(simulate_password_check("whatever", fast));
  EXPECT_NO_THROW(simulate_password_check(std::string(5000, 'x'), fast));
}

}  // namespace
}  // namespace eskit::runtime::auth
