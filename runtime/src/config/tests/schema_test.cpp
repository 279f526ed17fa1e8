#include "eskit/runtime/config/schema.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

using namespace eskit::runtime::config;
using namespace std::chrono_literals;

TEST(EnvVarName, CamelCaseSegmentsBecomeUpperSnake) {
  EXPECT_EQ(env_var_name("ESKIT", "http.port"), "ESKIT_HTTP_PORT");
  EXPECT_EQ(env_var_name("ESKIT", "catcher.serviceArea"), "ESKIT_CATCHER_SERVICE_AREA");
  EXPECT_EQ(env_var_name("ESKIT", "db.pool-size"), "ESKIT_DB_POOL_SIZE");
  EXPECT_EQ(env_var_name("ESKIT", "auth.jwtURL"), "ESKIT_AUTH_JWT_URL");
  EXPECT_EQ(env_var_name("ESKIT", "kafka.oauth2Client"), "ESKIT_KAFKA_OAUTH2_CLIENT");
  EXPECT_EQ(env_var_name("", "http.port"), "HTTP_PORT");
}

TEST(Schema, DeclaresEveryTypeWithDefaultsOrRequired) {
  Schema schema;
  schema.string("db.url", required, "database URL", Visibility::secret)
      .integer("http.port", 8080, "HTTP port")
      .boolean("http.cors", false, "allow any origin")
      .number("pricing.rate", 0.5, "rate")
      .duration("payment.timeout", 680ms, "payment deadline")
      .strings("catcher.serviceArea", {"Gangnam", "Seocho"}, "districts")
      .strings("gateway.routes", {}, "routes");
  ASSERT_EQ(schema.settings().size(), 7u);
  const Setting* db = schema.find("db.url");
  ASSERT_NE(db, nullptr);
  EXPECT_TRUE(db->secret);
  EXPECT_FALSE(db->fallback.has_value());
  EXPECT_EQ(schema.find("http.port")->fallback, Value(std::int64_t{8080}));
  EXPECT_EQ(schema.find("catcher.serviceArea")->fallback,
            Value(std::vector<std::string>{"Gangnam", "Seocho"}));
  EXPECT_EQ(schema.find("catcher.serviceArea")->env_var, "ESKIT_CATCHER_SERVICE_AREA");
  EXPECT_TRUE(schema.is_group("http"));
  EXPECT_FALSE(schema.is_group("http.port"));
  EXPECT_FALSE(schema.is_group("htt"));
}

TEST(Schema, TheEnvironmentPrefixIsTheServicesChoice) {
  Schema schema("DISPATCH");
  schema.integer("http.port", 8080, "");
  EXPECT_EQ(schema.find("http.port")->env_var, "DISPATCH_HTTP_PORT");
}

namespace {

std::string declaration_error(void (*declare)(Schema&)) {
  Schema schema;
  schema.integer("http.port", 8080, "");
  try {
    declare(schema);
  } catch (const std::logic_error& e) {
    return e.what();
  }
  return "no error";
}

}  // namespace

TEST(Schema, DeclarationMistakesAreBugsReportedAtOnce) {
  EXPECT_EQ(declaration_error([](Schema& s) { s.integer("http.port", 1, ""); }),
            "configuration setting 'http.port': declared twice");
  EXPECT_EQ(declaration_error([](Schema& s) { s.string("http", "", ""); }),
            "configuration setting 'http': already a group of settings, so it cannot also be one");
  EXPECT_EQ(
      declaration_error([](Schema& s) { s.string("http.port.max", "", ""); }),
      "configuration setting 'http.port.max': 'http.port' is a setting, so it cannot be a group");
  EXPECT_EQ(
      declaration_error([](Schema& s) { s.string("http..x", "", ""); }),
      "configuration setting 'http..x': not a dotted name of identifiers such as 'http.port'");
  EXPECT_EQ(declaration_error([](Schema& s) { s.string("9lives", "", ""); }),
            "configuration setting '9lives': not a dotted name of identifiers such as 'http.port'");
  EXPECT_EQ(declaration_error(
                [](Schema& s) { s.string("db.poolSize", "", "").string("db.pool-size", "", ""); }),
            "configuration setting 'db.pool-size': has the same environment variable "
            "ESKIT_DB_POOL_SIZE as "
            "'db.poolSize'");
}
