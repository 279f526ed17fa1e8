// The verifier refuses every kind of bad token with a precise reason, for HS256 and RS256
// alike, and accepts good ones up to the exact leeway boundary.
#include "eskit/runtime/auth/verifier.hpp"

#include <gtest/gtest.h>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <stdexcept>

#include "auth/base64.hpp"
#include "test_keys.hpp"

namespace eskit::runtime::auth::test {
namespace {

namespace json = boost::json;
using namespace std::chrono_literals;

std::int64_t seconds_of(std::chrono::sys_seconds t) { return t.time_since_epoch().count(); }

json::object good_claims() {
  return {{"sub", "hong"},
          {"roles", json::array{"MEMBER"}},
          {"iss", "https://login.petmily.test"},
          {"aud", "petmily"},
          {"iat", seconds_of(test_now)},
          {"nbf", seconds_of(test_now)},
          {"exp", seconds_of(test_now + 300s)},
          {"jti", "t-1"},
          {"memberName", "Hong Gildong"}};
}

class VerifierTest : public ::testing::TestWithParam<Algorithm> {
 protected:
  ManualClock clock{test_now};

  [[nodiscard]] Algorithm algorithm() const { return GetParam(); }
  [[nodiscard]] std::string alg_name() const { return std::string(to_string(algorithm())); }

  [[nodiscard]] VerifierOptions options() const {
    VerifierOptions o;
    o.algorithm = algorithm();
    o.keys = {algorithm() == Algorithm::hs256 ? hs_secret : rsa_keys().public_pem};
    o.issuer = "https://login.petmily.test";
    o.audiences = {"petmily"};
    o.leeway = 30s;
    o.clock = clock.clock();
    return o;
  }
  [[nodiscard]] JwtVerifier verifier() const { return JwtVerifier(options()); }

  // Signed correctly with this test's algorithm and key.
  [[nodiscard]] std::string token(std::string_view payload, std::string_view header) const {
    return algorithm() == Algorithm::hs256 ? signed_hs256(header, payload, hs_secret)
                                           : signed_rs256(header, payload, rsa_keys().private_pem);
  }
  [[nodiscard]] std::string token(const json::object& claims) const {
    return token(json::serialize(claims), R"({"alg":")" + alg_name() + R"(","typ":"JWT"})");
  }
  [[nodiscard]] std::string token_with(std::string_view key, const json::value& value) const {
    json::object claims = good_claims();
    claims[key] = value;
    return token(claims);
  }
  [[nodiscard]] std::string token_without(std::string_view key) const {
    json::object claims = good_claims();
    claims.erase(key);
    return token(claims);
  }

  [[nodiscard]] VerifyErrc refusal(std::string_view token_text) const {
    VerifyResult result = verifier().verify(token_text);
    EXPECT_FALSE(result) << "accepted: " << token_text;
    if (result) return VerifyErrc::malformed;
    EXPECT_FALSE(result.error().message.empty());
    return result.error().code;
  }
};

TEST_P(VerifierTest, AcceptsAGoodTokenAndReturnsItsClaims) {
  VerifyResult result = verifier().verify(token(good_claims()));
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_EQ(result->subject, "hong");
  EXPECT_EQ(result->roles, std::vector<std::string>{"MEMBER"});
  EXPECT_EQ(result->issuer, "https://login.petmily.test");
  EXPECT_EQ(result->audience, std::vector<std::string>{"petmily"});
  EXPECT_EQ(result->issued_at, test_now);
  EXPECT_EQ(result->not_before, test_now);
  EXPECT_EQ(result->expires_at, test_now + 300s);
  EXPECT_EQ(result->token_id, "t-1");
  EXPECT_EQ(json::parse(result->json).at("memberName"), "Hong Gildong");
}

TEST_P(VerifierTest, ExpiryHonoursTheLeewayToTheNanosecond) {
  std::string t = token(good_claims());  // exp = now + 300s, leeway 30s
  clock.set(test_now + 330s - 1ns);
  EXPECT_TRUE(verifier().verify(t));
  clock.set(test_now + 330s);
  EXPECT_EQ(refusal(t), VerifyErrc::expired);
}

TEST_P(VerifierTest, ExpiredTokenIsRefused) {
  EXPECT_EQ(refusal(token_with("exp", seconds_of(test_now - 31s))), VerifyErrc::expired);
}

TEST_P(VerifierTest, NotBeforeHonoursTheLeewayToTheNanosecond) {
  std::string t = token_with("nbf", seconds_of(test_now + 100s));
  clock.set(test_now + 70s);
  EXPECT_TRUE(verifier().verify(t));
  clock.set(test_now + 70s - 1ns);
  EXPECT_EQ(refusal(t), VerifyErrc::not_yet_valid);
}

TEST_P(VerifierTest, NotYetValidTokenIsRefused) {
  EXPECT_EQ(refusal(token_with("nbf", seconds_of(test_now + 31s))), VerifyErrc::not_yet_valid);
}

TEST_P(VerifierTest, FractionalNumericDatesAreAccepted) {
  VerifyResult result = verifier().verify(token_with("exp", 1'700'000'100.75));
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_EQ(result->expires_at, test_now + 100s);
}

TEST_P(VerifierTest, WrongIssuerIsRefused) {
  EXPECT_EQ(refusal(token_with("iss", "https://evil.test")), VerifyErrc::wrong_issuer);
  EXPECT_EQ(refusal(token_with("iss", "https://login.petmily.test/")), VerifyErrc::wrong_issuer);
}

TEST_P(VerifierTest, WrongAudienceIsRefused) {
  EXPECT_EQ(refusal(token_with("aud", "billing")), VerifyErrc::wrong_audience);
  EXPECT_EQ(refusal(token_with("aud", json::array{"billing", "PETMILY"})),
            VerifyErrc::wrong_audience);
  EXPECT_EQ(refusal(token_with("aud", json::array{})), VerifyErrc::wrong_audience);
}

TEST_P(VerifierTest, AudienceListNamingThisServiceIsAccepted) {
  VerifyResult result = verifier().verify(token_with("aud", json::array{"billing", "petmily"}));
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_EQ(result->audience, (std::vector<std::string>{"billing", "petmily"}));
}

TEST_P(VerifierTest, MissingRequiredClaimsAreRefused) {
  EXPECT_EQ(refusal(token_without("exp")), VerifyErrc::missing_claim);
  EXPECT_EQ(refusal(token_without("iss")), VerifyErrc::missing_claim);
  EXPECT_EQ(refusal(token_without("aud")), VerifyErrc::missing_claim);
  EXPECT_EQ(refusal(token_without("sub")), VerifyErrc::missing_claim);
  EXPECT_EQ(refusal(token_with("sub", "")), VerifyErrc::missing_claim);
}

TEST_P(VerifierTest, MissingExpiryIsAcceptedOnlyWhenNotRequired) {
  VerifierOptions o = options();
  o.require_expiry = false;
  EXPECT_TRUE(JwtVerifier(o).verify(token_without("exp")));
}

TEST_P(VerifierTest, ClaimsOfTheWrongTypeAreMalformed) {
  EXPECT_EQ(refusal(token_with("exp", "tomorrow")), VerifyErrc::malformed);
  EXPECT_EQ(refusal(token_with("exp", 1e300)), VerifyErrc::malformed);
  EXPECT_EQ(refusal(token_with("nbf", -1)), VerifyErrc::malformed);
  EXPECT_EQ(refusal(token_with("sub", 42)), VerifyErrc::malformed);
  EXPECT_EQ(refusal(token_with("aud", json::array{"petmily", 7})), VerifyErrc::malformed);
  EXPECT_EQ(refusal(token_with("roles", json::object{{"ADMIN", true}})), VerifyErrc::malformed);
}

TEST_P(VerifierTest, RolesMayBeASpaceSeparatedString) {
  VerifyResult result = verifier().verify(token_with("roles", "MEMBER  ADMIN"));
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_EQ(result->roles, (std::vector<std::string>{"MEMBER", "ADMIN"}));
  EXPECT_TRUE(result->has_role("ADMIN"));
}

TEST_P(VerifierTest, TamperedPayloadIsRefused) {
  std::string good = token(good_claims());
  json::object promoted = good_claims();
  promoted["roles"] = json::array{"MEMBER", "ADMIN"};
  std::size_t first = good.find('.');
  std::size_t second = good.find('.', first + 1);
  std::string forged = good.substr(0, first + 1) +
                       detail::base64url_encode(json::serialize(promoted)) + good.substr(second);
  EXPECT_EQ(refusal(forged), VerifyErrc::bad_signature);
}

TEST_P(VerifierTest, TamperedSignatureIsRefused) {
  std::string good = token(good_claims());
  std::size_t second = good.rfind('.');
  std::string signature = *detail::base64url_decode(good.substr(second + 1));
  signature[0] = static_cast<char>(signature[0] ^ 0x01);
  EXPECT_EQ(refusal(good.substr(0, second + 1) + detail::base64url_encode(signature)),
            VerifyErrc::bad_signature);
  EXPECT_EQ(refusal(good.substr(0, second + 1)), VerifyErrc::bad_signature);  // none at all
  signature.pop_back();
  EXPECT_EQ(refusal(good.substr(0, second + 1) + detail::base64url_encode(signature)),
            VerifyErrc::bad_signature);  // one byte short
}

TEST_P(VerifierTest, TokenFromAnotherKeyIsRefused) {
  std::string payload = json::serialize(good_claims());
  std::string header = R"({"alg":")" + alg_name() + R"("})";
  std::string forged = algorithm() == Algorithm::hs256
                           ? signed_hs256(header, payload, "another-secret-of-at-least-32-bytes!!")
                           : signed_rs256(header, payload, other_rsa_keys().private_pem);
  EXPECT_EQ(refusal(forged), VerifyErrc::bad_signature);
}

TEST_P(VerifierTest, PreviousKeyIsAcceptedDuringARotation) {
  std::string payload = json::serialize(good_claims());
  std::string header = R"({"alg":")" + alg_name() + R"("})";
  std::string old_key = algorithm() == Algorithm::hs256 ? "the-previous-secret-0123456789abcdef"
                                                        : other_rsa_keys().public_pem;
  std::string old_token = algorithm() == Algorithm::hs256
                              ? signed_hs256(header, payload, old_key)
                              : signed_rs256(header, payload, other_rsa_keys().private_pem);
  EXPECT_EQ(refusal(old_token), VerifyErrc::bad_signature);
  VerifierOptions o = options();
  o.keys.push_back(old_key);
  EXPECT_TRUE(JwtVerifier(o).verify(old_token));
  EXPECT_TRUE(JwtVerifier(o).verify(token(good_claims())));
}

TEST_P(VerifierTest, AlgNoneIsRefusedWithOrWithoutASignature) {
  std::string payload = json::serialize(good_claims());
  for (std::string_view alg : {"none", "None", "NONE", "nOnE"}) {
    std::string header = R"({"alg":")" + std::string(alg) + R"(","typ":"JWT"})";
    EXPECT_EQ(refusal(compact(header, payload, "")), VerifyErrc::unsupported_algorithm) << alg;
    // With a signature a careless verifier might check against its own algorithm.
    std::string signed_anyway = token(payload, header);
    EXPECT_EQ(refusal(signed_anyway), VerifyErrc::unsupported_algorithm) << alg;
  }
  // Two parts, as some libraries write unsecured JWTs.
  std::string header = R"({"alg":"none"})";
  EXPECT_EQ(refusal(detail::base64url_encode(header) + '.' + detail::base64url_encode(payload)),
            VerifyErrc::malformed);
}

TEST_P(VerifierTest, AlgorithmsOutsideTheTwoAreUnsupported) {
  std::string payload = json::serialize(good_claims());
  for (std::string_view alg : {"HS512", "ES256", "PS256", "hs256", "rs256", ""}) {
    std::string header = R"({"alg":")" + std::string(alg) + R"("})";
    EXPECT_EQ(refusal(token(payload, header)), VerifyErrc::unsupported_algorithm) << alg;
  }
}

TEST_P(VerifierTest, CriticalHeaderParametersAreRefused) {
  std::string header = R"({"alg":")" + alg_name() + R"(","crit":["exp"],"exp":1})";
  EXPECT_EQ(refusal(token(json::serialize(good_claims()), header)),
            VerifyErrc::unsupported_algorithm);
}

TEST_P(VerifierTest, KeyHintsInTheHeaderAreIgnored) {
  // jwk, jku and kid never choose the key: the configured one decides.
  json::object header{{"alg", alg_name()},
                      {"kid", "../../etc/passwd"},
                      {"jku", "https://evil.test/keys"},
                      {"jwk", json::object{{"kty", "oct"}, {"k", "AAAA"}}}};
  EXPECT_TRUE(verifier().verify(token(json::serialize(good_claims()), json::serialize(header))));
}

TEST_P(VerifierTest, MalformedTokensAreRefused) {
  std::string good = token(good_claims());
  std::size_t first = good.find('.');
  std::size_t second = good.rfind('.');
  std::string header_b64 = good.substr(0, first);
  std::string payload_b64 = good.substr(first + 1, second - first - 1);
  std::string signature_b64 = good.substr(second + 1);

  EXPECT_EQ(refusal(""), VerifyErrc::malformed);
  EXPECT_EQ(refusal(".."), VerifyErrc::malformed);
  EXPECT_EQ(refusal(header_b64 + '.' + payload_b64), VerifyErrc::malformed);  // 2 parts
  EXPECT_EQ(refusal(good + ".e30"), VerifyErrc::malformed);                   // 4 parts
  EXPECT_EQ(refusal(good + "."), VerifyErrc::malformed);                      // 4 parts
  EXPECT_EQ(refusal(good + "="), VerifyErrc::malformed);                      // padding
  EXPECT_EQ(refusal(good + "A"), VerifyErrc::bad_signature);                  // a longer signature
  std::string impossible = good;  // a signature of 4k + 1 characters: no base64 has that length
  while ((impossible.size() - second - 1) % 4 != 1) impossible += 'A';
  EXPECT_EQ(refusal(impossible), VerifyErrc::malformed);
  EXPECT_EQ(refusal(" " + good), VerifyErrc::malformed);
  EXPECT_EQ(refusal(good + "\n"), VerifyErrc::malformed);
  EXPECT_EQ(refusal(header_b64 + "=." + payload_b64 + '.' + signature_b64), VerifyErrc::malformed);
  EXPECT_EQ(refusal("e30!." + payload_b64 + '.' + signature_b64), VerifyErrc::malformed);
  std::string standard_signature = signature_b64;
  for (char& c : standard_signature) c = c == '-' ? '+' : c == '_' ? '/' : c;
  if (standard_signature != signature_b64) {
    EXPECT_EQ(refusal(header_b64 + '.' + payload_b64 + '.' + standard_signature),
              VerifyErrc::malformed);
  }

  std::string payload = json::serialize(good_claims());
  EXPECT_EQ(refusal(token(payload, "not json")), VerifyErrc::malformed);
  EXPECT_EQ(refusal(token(payload, R"(["alg","HS256"])")), VerifyErrc::malformed);
  EXPECT_EQ(refusal(token(payload, R"({"typ":"JWT"})")), VerifyErrc::malformed);  // no alg
  EXPECT_EQ(refusal(token(payload, R"({"alg":256})")), VerifyErrc::malformed);
  EXPECT_EQ(refusal(token(payload, R"({"alg":")" + alg_name() + R"(")")), VerifyErrc::malformed);
  // Correctly signed, but the payload is not a JSON object.
  std::string header = R"({"alg":")" + alg_name() + R"("})";
  EXPECT_EQ(refusal(token("not json", header)), VerifyErrc::malformed);
  EXPECT_EQ(refusal(token(R"(["sub","hong"])", header)), VerifyErrc::malformed);
  EXPECT_EQ(refusal(token(std::string("{\"sub\":\"\xff\"}"), header)), VerifyErrc::malformed);
}

TEST_P(VerifierTest, OversizedTokenIsRefusedBeforeParsing) {
  json::object claims = good_claims();
  claims["padding"] = std::string(9000, 'x');
  std::string big = token(claims);
  ASSERT_GT(big.size(), options().max_token_bytes);
  EXPECT_EQ(refusal(big), VerifyErrc::too_large);
  EXPECT_EQ(refusal(std::string(1 << 20, 'A')), VerifyErrc::too_large);
  VerifierOptions o = options();
  o.max_token_bytes = big.size();
  EXPECT_TRUE(JwtVerifier(o).verify(big));
}

TEST_P(VerifierTest, ReasonsNeverEchoTheToken) {
  std::string evil = token_with("iss", "\"\r\nX-Injected: yes");
  VerifyResult result = verifier().verify(evil);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().message.find("Injected"), std::string::npos);
  EXPECT_EQ(result.error().message.find('\n'), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(BothAlgorithms, VerifierTest,
                         ::testing::Values(Algorithm::hs256, Algorithm::rs256),
                         [](const auto& test) { return std::string(to_string(test.param)); });

// The classic confusion: an RS256 service's public key is public, so an attacker signs an
// HS256 token with it as the HMAC secret. A library that let the header choose HMAC and used
// "the key" would accept it.
TEST(AlgorithmConfusion, HS256TokenSignedWithThePublicKeyIsRefusedByAnRS256Verifier) {
  ManualClock clock{test_now};
  JwtVerifier verifier({.algorithm = Algorithm::rs256,
                        .keys = {rsa_keys().public_pem},
                        .issuer = "https://login.petmily.test",
                        .audiences = {"petmily"},
                        .clock = clock.clock()});
  std::string payload = json::serialize(good_claims());
  std::string forged =
      signed_hs256(R"({"alg":"HS256","typ":"JWT"})", payload, rsa_keys().public_pem);
  VerifyResult result = verifier.verify(forged);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, VerifyErrc::algorithm_mismatch);
  // And with the header saying RS256 over an HMAC signature: the RSA check fails.
  std::string relabelled = signed_hs256(R"({"alg":"RS256"})", payload, rsa_keys().public_pem);
  EXPECT_EQ(verifier.verify(relabelled).error().code, VerifyErrc::bad_signature);
}

TEST(AlgorithmConfusion, RS256TokenIsRefusedByAnHS256Verifier) {
  ManualClock clock{test_now};
  JwtVerifier verifier({.algorithm = Algorithm::hs256,
                        .keys = {hs_secret},
                        .issuer = "https://login.petmily.test",
                        .audiences = {"petmily"},
                        .clock = clock.clock()});
  std::string token =
      signed_rs256(R"({"alg":"RS256"})", json::serialize(good_claims()), rsa_keys().private_pem);
  VerifyResult result = verifier.verify(token);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, VerifyErrc::algorithm_mismatch);
}

TEST(AlgorithmConfusion, AnHS256VerifierRefusesAPemKeyAsItsSecret) {
  EXPECT_THROW(JwtVerifier({.algorithm = Algorithm::hs256,
                            .keys = {rsa_keys().public_pem},
                            .issuer = "i",
                            .audiences = {"a"}}),
               std::invalid_argument);
}

TEST(VerifierConfiguration, WeakOrWrongKeysAreRefusedAtConstruction) {
  auto make = [](Algorithm algorithm, std::string key) {
    return JwtVerifier(
        {.algorithm = algorithm, .keys = {std::move(key)}, .issuer = "i", .audiences = {"a"}});
  };
  EXPECT_THROW(make(Algorithm::hs256, "short"), std::invalid_argument);
  EXPECT_THROW(make(Algorithm::hs256, std::string(31, 'k')), std::invalid_argument);
  EXPECT_NO_THROW(make(Algorithm::hs256, std::string(32, 'k')));
  EXPECT_THROW(make(Algorithm::rs256, "not a pem"), std::invalid_argument);
  EXPECT_THROW(make(Algorithm::rs256, rsa_keys().private_pem), std::invalid_argument);
  EXPECT_THROW(make(Algorithm::rs256, generate_rsa(1024).public_pem), std::invalid_argument);
  EXPECT_THROW(make(Algorithm::rs256, generate_ec_p256().public_pem), std::invalid_argument);
  EXPECT_NO_THROW(make(Algorithm::rs256, rsa_keys().public_pem));
}

TEST(VerifierConfiguration, IssuerAudienceAndKeyAreRequired) {
  EXPECT_THROW(
      JwtVerifier({.algorithm = Algorithm::hs256, .keys = {}, .issuer = "i", .audiences = {"a"}}),
      std::invalid_argument);
  EXPECT_THROW(
      JwtVerifier(
          {.algorithm = Algorithm::hs256, .keys = {hs_secret}, .issuer = "", .audiences = {"a"}}),
      std::invalid_argument);
  EXPECT_THROW(
      JwtVerifier(
          {.algorithm = Algorithm::hs256, .keys = {hs_secret}, .issuer = "i", .audiences = {}}),
      std::invalid_argument);
}

TEST(VerifierConfiguration, ReasonsHaveStableNames) {
  EXPECT_EQ(to_string(VerifyErrc::expired), "expired");
  EXPECT_EQ(to_string(VerifyErrc::algorithm_mismatch), "algorithm_mismatch");
  EXPECT_EQ(parse_algorithm("RS256"), Algorithm::rs256);
  EXPECT_EQ(parse_algorithm("none"), std::nullopt);
}

}  // namespace
}  // namespace eskit::runtime::auth::test
