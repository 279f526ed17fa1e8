// JWT settings through the config module: keys from mounted Secret files, every problem
// reported with the setting and source it concerns, and secrets never printed.
#include "eskit/runtime/auth/settings.hpp"

#include <gtest/gtest.h>

#include <map>

#include "config/tests/scratch_dir.hpp"
#include "eskit/runtime/config/load.hpp"
#include "test_keys.hpp"

namespace eskit::runtime::auth::test {
namespace {

using config::testing::ScratchDir;
using namespace std::chrono_literals;

config::Environment env(std::map<std::string, std::string> vars) {
  return [vars = std::move(vars)](const std::string& name) -> std::optional<std::string> {
    auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

config::Schema auth_schema() {
  config::Schema schema;
  schema.integer("http.port", 8080, "port of the HTTP API");
  declare_auth_settings(schema);
  return schema;
}

config::Config loaded(std::map<std::string, std::string> vars) {
  config::LoadResult result = config::load(auth_schema(), {std::nullopt, false, env(vars)});
  EXPECT_TRUE(result.ok()) << config::format_problems(result.problems());
  if (!result.ok()) throw std::runtime_error("configuration did not load");
  return result.config();
}

Clock fixed_clock() {
  return [] { return std::chrono::system_clock::time_point{test_now}; };
}

std::string all_problems(const AuthSettingsResult& result) {
  return config::format_problems(result.problems());
}

TEST(AuthSettings, RS256KeysComeFromMountedSecretFiles) {
  ScratchDir dir;
  // As kubectl mounts them: PEM files that end with a newline.
  auto public_key = dir.write("public.pem", rsa_keys().public_pem);
  auto private_key = dir.write("private.pem", rsa_keys().private_pem);
  config::Config config = loaded({{"ESKIT_AUTH_JWT_KEY_FILE", public_key.string()},
                                  {"ESKIT_AUTH_JWT_SIGNING_KEY_FILE", private_key.string()},
                                  {"ESKIT_AUTH_JWT_ISSUER", "https://login.petmily.test"},
                                  {"ESKIT_AUTH_JWT_AUDIENCE", "petmily"},
                                  {"ESKIT_AUTH_TRUST_FORWARDED_IDENTITY", "true"}});
  AuthSettingsResult result = read_auth_settings(config, fixed_clock());
  ASSERT_TRUE(result.ok()) << all_problems(result);
  const AuthSettings& auth = result.settings();
  ASSERT_TRUE(auth.signer);
  IssuedToken issued = auth.signer->sign({.subject = "hong", .roles = {"MEMBER"}});
  EXPECT_EQ(issued.expires_at - issued.issued_at, 15min);
  VerifyResult claims = auth.verifier.verify(issued.token);
  ASSERT_TRUE(claims) << claims.error().message;
  EXPECT_EQ(claims->issuer, "https://login.petmily.test");
  EXPECT_TRUE(auth.guard.forwarded.trusted);

  std::string effective = config.effective();
  EXPECT_EQ(effective.find("BEGIN"), std::string::npos) << effective;
  EXPECT_NE(effective.find("ESKIT_AUTH_JWT_KEY_FILE=" + public_key.string()), std::string::npos);
}

TEST(AuthSettings, ServiceWithOnlyThePublicKeyCannotSign) {
  config::Config config = loaded({{"ESKIT_AUTH_JWT_KEY", rsa_keys().public_pem},
                                  {"ESKIT_AUTH_JWT_ISSUER", "https://login.petmily.test"},
                                  {"ESKIT_AUTH_JWT_AUDIENCE", "petmily"}});
  AuthSettingsResult result = read_auth_settings(config);
  ASSERT_TRUE(result.ok()) << all_problems(result);
  EXPECT_FALSE(result.settings().signer);
  EXPECT_FALSE(result.settings().guard.forwarded.trusted);
}

TEST(AuthSettings, HS256SharedSecretVerifiesAndSigns) {
  config::Config config = loaded({{"ESKIT_AUTH_JWT_ALGORITHM", "HS256"},
                                  {"ESKIT_AUTH_JWT_KEY", hs_secret},
                                  {"ESKIT_AUTH_JWT_ISSUER", "petmily-login"},
                                  {"ESKIT_AUTH_JWT_AUDIENCE", "petmily,billing"},
                                  {"ESKIT_AUTH_JWT_LEEWAY", "5s"}});
  AuthSettingsResult result = read_auth_settings(config, fixed_clock());
  ASSERT_TRUE(result.ok()) << all_problems(result);
  ASSERT_TRUE(result.settings().signer);
  auto token = result.settings().signer->sign({.subject = "hong"}).token;
  EXPECT_TRUE(result.settings().verifier.verify(token));
}

TEST(AuthSettings, KeyIsRequired) {
  config::LoadResult result = config::load(
      auth_schema(), {std::nullopt, false,
                      env({{"ESKIT_AUTH_JWT_ISSUER", "i"}, {"ESKIT_AUTH_JWT_AUDIENCE", "a"}})});
  ASSERT_FALSE(result.ok());
  std::string report = config::format_problems(result.problems());
  EXPECT_NE(report.find("auth.jwt.key: required but not set"), std::string::npos) << report;
  EXPECT_NE(report.find("ESKIT_AUTH_JWT_KEY_FILE"), std::string::npos) << report;
}

TEST(AuthSettings, BadValuesAreReportedWithTheirSetting) {
  config::Config config = loaded({{"ESKIT_AUTH_JWT_ALGORITHM", "none"},
                                  {"ESKIT_AUTH_JWT_KEY", "k"},
                                  {"ESKIT_AUTH_JWT_ISSUER", ""},
                                  {"ESKIT_AUTH_JWT_AUDIENCE", "petmily"}});
  AuthSettingsResult result = read_auth_settings(config);
  ASSERT_FALSE(result.ok());
  std::string report = all_problems(result);
  EXPECT_NE(report.find("ESKIT_AUTH_JWT_ALGORITHM: error: auth.jwt.algorithm: unknown algorithm"),
            std::string::npos)
      << report;
  EXPECT_NE(report.find("auth.jwt.issuer: must not be empty"), std::string::npos) << report;
}

TEST(AuthSettings, WeakOrWrongKeysAreReportedWithoutShowingThem) {
  ScratchDir dir;
  auto garbage = dir.write("public.pem", "-----BEGIN PUBLIC KEY-----\nc2VjcmV0LWJ5dGVz\n");
  config::Config config = loaded({{"ESKIT_AUTH_JWT_KEY_FILE", garbage.string()},
                                  {"ESKIT_AUTH_JWT_PREVIOUS_KEY", generate_rsa(1024).public_pem},
                                  {"ESKIT_AUTH_JWT_ISSUER", "i"},
                                  {"ESKIT_AUTH_JWT_AUDIENCE", "a"}});
  AuthSettingsResult result = read_auth_settings(config);
  ASSERT_FALSE(result.ok());
  ASSERT_EQ(result.problems().size(), 2u) << all_problems(result);
  EXPECT_EQ(result.problems()[0].setting, "auth.jwt.key");
  EXPECT_EQ(result.problems()[0].where, "ESKIT_AUTH_JWT_KEY_FILE=" + garbage.string());
  EXPECT_EQ(result.problems()[1].setting, "auth.jwt.previousKey");
  EXPECT_NE(result.problems()[1].message.find("1024 bits"), std::string::npos);
  EXPECT_EQ(all_problems(result).find("c2VjcmV0"), std::string::npos);

  config::Config short_secret = loaded({{"ESKIT_AUTH_JWT_ALGORITHM", "HS256"},
                                        {"ESKIT_AUTH_JWT_KEY", "hunter2"},
                                        {"ESKIT_AUTH_JWT_ISSUER", "i"},
                                        {"ESKIT_AUTH_JWT_AUDIENCE", "a"}});
  AuthSettingsResult weak = read_auth_settings(short_secret);
  ASSERT_FALSE(weak.ok());
  EXPECT_EQ(weak.problems()[0].setting, "auth.jwt.key");
  EXPECT_EQ(all_problems(weak).find("hunter2"), std::string::npos);
}

TEST(AuthSettings, PublicKeyAsHS256SecretIsRefused) {
  config::Config config = loaded({{"ESKIT_AUTH_JWT_ALGORITHM", "HS256"},
                                  {"ESKIT_AUTH_JWT_KEY", rsa_keys().public_pem},
                                  {"ESKIT_AUTH_JWT_ISSUER", "i"},
                                  {"ESKIT_AUTH_JWT_AUDIENCE", "a"}});
  AuthSettingsResult result = read_auth_settings(config);
  ASSERT_FALSE(result.ok());
  EXPECT_NE(all_problems(result).find("must not be a PEM key"), std::string::npos);
}

TEST(AuthSettings, SigningKeyMustMatchTheVerificationKey) {
  config::Config config = loaded({{"ESKIT_AUTH_JWT_KEY", rsa_keys().public_pem},
                                  {"ESKIT_AUTH_JWT_SIGNING_KEY", other_rsa_keys().private_pem},
                                  {"ESKIT_AUTH_JWT_ISSUER", "i"},
                                  {"ESKIT_AUTH_JWT_AUDIENCE", "a"}});
  AuthSettingsResult result = read_auth_settings(config);
  ASSERT_FALSE(result.ok());
  ASSERT_EQ(result.problems().size(), 1u);
  EXPECT_EQ(result.problems()[0].setting, "auth.jwt.signingKey");
  EXPECT_EQ(result.problems()[0].message, "is not the private key of auth.jwt.key");
}

TEST(AuthSettings, HS256WithASigningKeyIsAMistake) {
  config::Config config = loaded({{"ESKIT_AUTH_JWT_ALGORITHM", "HS256"},
                                  {"ESKIT_AUTH_JWT_KEY", hs_secret},
                                  {"ESKIT_AUTH_JWT_SIGNING_KEY", rsa_keys().private_pem},
                                  {"ESKIT_AUTH_JWT_ISSUER", "i"},
                                  {"ESKIT_AUTH_JWT_AUDIENCE", "a"}});
  AuthSettingsResult result = read_auth_settings(config);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.problems()[0].setting, "auth.jwt.signingKey");
}

}  // namespace
}  // namespace eskit::runtime::auth::test
