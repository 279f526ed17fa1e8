// Tokens the signer issues carry the registered claims and verify with the matching key.
#include "eskit/runtime/auth/signer.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include <stdexcept>

#include "auth/base64.hpp"
#include "eskit/runtime/auth/verifier.hpp"
#include "test_keys.hpp"

namespace eskit::runtime::auth::test {
namespace {

namespace json = boost::json;
using namespace std::chrono_literals;

class SignerTest : public ::testing::TestWithParam<Algorithm> {
 protected:
  ManualClock clock{test_now};

  [[nodiscard]] SignerOptions signer_options() const {
    return {.algorithm = GetParam(),
            .key = GetParam() == Algorithm::hs256 ? hs_secret : rsa_keys().private_pem,
            .issuer = "https://login.petmily.test",
            .audiences = {"petmily"},
            .lifetime = 15min,
            .clock = clock.clock()};
  }
  [[nodiscard]] JwtVerifier verifier() const {
    return JwtVerifier(
        {.algorithm = GetParam(),
         .keys = {GetParam() == Algorithm::hs256 ? hs_secret : rsa_keys().public_pem},
         .issuer = "https://login.petmily.test",
         .audiences = {"petmily"},
         .clock = clock.clock()});
  }
};

json::value part(const std::string& token, int index) {
  std::size_t start = 0;
  for (int i = 0; i < index; ++i) start = token.find('.', start) + 1;
  std::size_t end = token.find('.', start);
  return json::parse(*detail::base64url_decode(token.substr(start, end - start)));
}

TEST_P(SignerTest, IssuedTokenVerifiesWithTheRegisteredClaims) {
  JwtSigner signer(signer_options());
  IssuedToken issued = signer.sign({.subject = "hong", .roles = {"MEMBER", "ADMIN"}});
  EXPECT_EQ(issued.issued_at, test_now);
  EXPECT_EQ(issued.expires_at, test_now + 15min);
  EXPECT_EQ(issued.id.size(), 22u);  // 128 bits in base64url

  VerifyResult result = verifier().verify(issued.token);
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_EQ(result->subject, "hong");
  EXPECT_EQ(result->roles, (std::vector<std::string>{"MEMBER", "ADMIN"}));
  EXPECT_EQ(result->issuer, "https://login.petmily.test");
  EXPECT_EQ(result->audience, std::vector<std::string>{"petmily"});
  EXPECT_EQ(result->issued_at, test_now);
  EXPECT_EQ(result->not_before, test_now);
  EXPECT_EQ(result->expires_at, test_now + 15min);
  EXPECT_EQ(result->token_id, issued.id);

  json::value header = part(issued.token, 0);
  EXPECT_EQ(header.at("alg"), json::value(to_string(GetParam())));
  EXPECT_EQ(header.at("typ"), "JWT");
  EXPECT_FALSE(header.as_object().contains("kid"));
}

TEST_P(SignerTest, EveryTokenHasItsOwnId) {
  JwtSigner signer(signer_options());
  IssuedToken a = signer.sign({.subject = "hong"});
  IssuedToken b = signer.sign({.subject = "hong"});
  EXPECT_NE(a.id, b.id);
  EXPECT_NE(a.token, b.token);
}

TEST_P(SignerTest, IssuedTokenExpiresAfterItsLifetime) {
  JwtSigner signer(signer_options());
  IssuedToken issued = signer.sign({.subject = "hong", .lifetime = 60s});
  EXPECT_EQ(issued.expires_at, test_now + 60s);
  clock.set(test_now + 60s + 30s);  // exp plus the verifier's default leeway
  EXPECT_EQ(verifier().verify(issued.token).error().code, VerifyErrc::expired);
}

TEST_P(SignerTest, SeveralAudiencesBecomeAnArrayAndKeyIdAHeader) {
  SignerOptions options = signer_options();
  options.audiences = {"petmily", "billing"};
  options.key_id = "2024-05";
  IssuedToken issued = JwtSigner(options).sign({.subject = "hong"});
  EXPECT_EQ(part(issued.token, 1).at("aud"), json::parse(R"(["petmily","billing"])"));
  EXPECT_EQ(part(issued.token, 0).at("kid"), "2024-05");
  EXPECT_TRUE(verifier().verify(issued.token));
}

TEST_P(SignerTest, ExtraClaimsAreMergedButCannotRedefineRegisteredOnes) {
  JwtSigner signer(signer_options());
  IssuedToken issued =
      signer.sign({.subject = "hong", .extra_claims_json = R"({"memberName":"Hong Gildong"})"});
  VerifyResult result = verifier().verify(issued.token);
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_EQ(json::parse(result->json).at("memberName"), "Hong Gildong");
  EXPECT_THROW((void)signer.sign({.subject = "hong", .extra_claims_json = R"({"sub":"admin"})"}),
               std::invalid_argument);
  EXPECT_THROW((void)signer.sign({.subject = "hong", .extra_claims_json = R"({"exp":9})"}),
               std::invalid_argument);
  EXPECT_THROW((void)signer.sign({.subject = "hong", .extra_claims_json = "[1]"}),
               std::invalid_argument);
}

TEST_P(SignerTest, SubjectIsRequired) {
  EXPECT_THROW((void)JwtSigner(signer_options()).sign({}), std::invalid_argument);
}

INSTANTIATE_TEST_SUITE_P(BothAlgorithms, SignerTest,
                         ::testing::Values(Algorithm::hs256, Algorithm::rs256),
                         [](const auto& test) { return std::string(to_string(test.param)); });

TEST(SignerConfiguration, WrongOrWeakKeysAreRefused) {
  auto make = [](Algorithm algorithm, std::string key) {
    return JwtSigner(
        {.algorithm = algorithm, .key = std::move(key), .issuer = "i", .audiences = {"a"}});
  };
  EXPECT_THROW(make(Algorithm::hs256, "short"), std::invalid_argument);
  EXPECT_THROW(make(Algorithm::rs256, rsa_keys().public_pem), std::invalid_argument);
  EXPECT_THROW(make(Algorithm::rs256, generate_rsa(1024).private_pem), std::invalid_argument);
  EXPECT_THROW(
      JwtSigner(
          {.algorithm = Algorithm::hs256, .key = hs_secret, .issuer = "", .audiences = {"a"}}),
      std::invalid_argument);
  EXPECT_THROW(JwtSigner({.algorithm = Algorithm::hs256,
                          .key = hs_secret,
                          .issuer = "i",
                          .audiences = {"a"},
                          .lifetime = 0s}),
               std::invalid_argument);
}

}  // namespace
}  // namespace eskit::runtime::auth::test
