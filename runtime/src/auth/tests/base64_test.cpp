// Strict base64: one spelling per byte string, nothing the alphabet does not have.
#include "auth/base64.hpp"

#include <gtest/gtest.h>

namespace eskit::runtime::auth::detail {
namespace {

TEST(Base64Url, RoundTripsEveryLengthAndByte) {
  std::string bytes;
  for (int i = 0; i < 256; ++i) {
    bytes += static_cast<char>(i);
    auto decoded = base64url_decode(base64url_encode(bytes));
    ASSERT_TRUE(decoded) << "length " << bytes.size();
    EXPECT_EQ(*decoded, bytes);
  }
}

TEST(Base64Url, EncodesWithoutPaddingInTheUrlAlphabet) {
  EXPECT_EQ(base64url_encode(""), "");
  EXPECT_EQ(base64url_encode("f"), "Zg");
  EXPECT_EQ(base64url_encode("fo"), "Zm8");
  EXPECT_EQ(base64url_encode("foo"), "Zm9v");
  EXPECT_EQ(base64url_encode("\xfb\xff"), "-_8");
  EXPECT_EQ(base64_encode("\xfb\xff", Alphabet::standard), "+/8");
}

TEST(Base64Url, RefusesPaddingOtherAlphabetsAndWhitespace) {
  EXPECT_FALSE(base64url_decode("Zg=="));
  EXPECT_FALSE(base64url_decode("Zg="));
  EXPECT_FALSE(base64url_decode("+/8"));
  EXPECT_FALSE(base64url_decode("Zm9v "));
  EXPECT_FALSE(base64url_decode("Zm\n9v"));
  EXPECT_FALSE(base64url_decode(std::string_view("Zm9v\0", 5)));
  EXPECT_FALSE(base64_decode("-_8", Alphabet::standard));
}

TEST(Base64Url, RefusesLengthsNoEncodingHas) { EXPECT_FALSE(base64url_decode("Zm9vY")); }

TEST(Base64Url, RefusesNonZeroUnusedBits) {
  // "Zg" is "f"; "Zh" would decode to "f" as well if the two leftover bits were ignored.
  EXPECT_EQ(base64url_decode("Zg"), "f");
  EXPECT_FALSE(base64url_decode("Zh"));
  EXPECT_EQ(base64url_decode("Zm8"), "fo");
  EXPECT_FALSE(base64url_decode("Zm9"));
}

}  // namespace
}  // namespace eskit::runtime::auth::detail
