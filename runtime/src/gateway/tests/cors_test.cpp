// CORS at the edge: preflights answered from the policy, Allow-Origin only for allowed origins.
#include <gtest/gtest.h>

#include "eskit/runtime/gateway/cors.hpp"

namespace eskit::runtime::gateway {
namespace {

CorsPolicy app_policy() {
  CorsPolicy policy;
  policy.allowed_origins = {"https://app.example"};
  policy.allowed_methods = {"GET", "POST"};
  policy.allowed_headers = {"Authorization", "Content-Type"};
  policy.max_age = std::chrono::seconds{123};
  return policy;
}

http::Request preflight(std::string origin, std::string method, std::string headers = {}) {
  http::Headers fields;
  fields.set("Origin", std::move(origin));
  fields.set("Access-Control-Request-Method", std::move(method));
  if (!headers.empty()) fields.set("Access-Control-Request-Headers", std::move(headers));
  return http::Request("OPTIONS", "/reviews/7", std::move(fields));
}

TEST(Cors, RecognisesPreflightsOnly) {
  EXPECT_TRUE(is_preflight(preflight("https://app.example", "POST")));
  http::Headers only_origin;
  only_origin.set("Origin", "https://app.example");
  EXPECT_FALSE(is_preflight(http::Request("OPTIONS", "/reviews", only_origin)));
  http::Headers both;
  both.set("Origin", "https://app.example");
  both.set("Access-Control-Request-Method", "POST");
  EXPECT_FALSE(is_preflight(http::Request("GET", "/reviews", both)));
}

TEST(Cors, AnswersAnAllowedPreflightFromThePolicy) {
  const auto response = answer_preflight(app_policy(), preflight("https://app.example", "POST",
                                                                 "content-type, "
                                                                 "Authorization"));
  EXPECT_EQ(response.status, 204);
  EXPECT_EQ(response.headers.get("Access-Control-Allow-Origin"), "https://app.example");
  EXPECT_EQ(response.headers.get("Access-Control-Allow-Methods"), "GET, POST");
  EXPECT_EQ(response.headers.get("Access-Control-Allow-Headers"), "Authorization, Content-Type");
  EXPECT_EQ(response.headers.get("Access-Control-Max-Age"), "123");
  EXPECT_EQ(response.headers.get("Vary"), "Origin");
  EXPECT_FALSE(response.headers.contains("Access-Control-Allow-Credentials"));
}

TEST(Cors, RefusesAPreflightSayingWhatIsNotAllowed) {
  const auto origin = answer_preflight(app_policy(), preflight("https://evil.example", "GET"));
  EXPECT_EQ(origin.status, 403);
  EXPECT_NE(origin.body.find("https://evil.example"), std::string::npos) << origin.body;
  EXPECT_FALSE(origin.headers.contains("Access-Control-Allow-Origin"));
  const auto method = answer_preflight(app_policy(), preflight("https://app.example", "DELETE"));
  EXPECT_EQ(method.status, 403);
  EXPECT_NE(method.body.find("DELETE"), std::string::npos) << method.body;
  const auto header =
      answer_preflight(app_policy(), preflight("https://app.example", "GET", "X-Secret"));
  EXPECT_EQ(header.status, 403);
  EXPECT_NE(header.body.find("X-Secret"), std::string::npos) << header.body;
  EXPECT_EQ(header.headers.get("Content-Type"), "application/problem+json");
  // An opaque origin (sandboxed frames, file:) is never trusted, even with "*".
  CorsPolicy any = app_policy();
  any.allowed_origins = {"*"};
  EXPECT_EQ(answer_preflight(any, preflight("null", "GET")).status, 403);
}

TEST(Cors, AllowOriginOnlyForAllowedOriginsAndUpstreamValuesReplaced) {
  http::Response allowed = http::Response::text("ok");
  allowed.headers.set("Access-Control-Allow-Origin", "*");  // the upstream's own, too broad
  apply_cors(app_policy(), "https://app.example", allowed);
  EXPECT_EQ(allowed.headers.get("Access-Control-Allow-Origin"), "https://app.example");
  EXPECT_EQ(allowed.headers.get("Access-Control-Expose-Headers"), "X-Correlation-Id");
  EXPECT_EQ(allowed.headers.get("Vary"), "Origin");

  http::Response other = http::Response::text("ok");
  other.headers.set("Access-Control-Allow-Origin", "*");
  other.headers.set("Vary", "Accept-Encoding");
  apply_cors(app_policy(), "https://evil.example", other);
  EXPECT_FALSE(other.headers.contains("Access-Control-Allow-Origin"));
  EXPECT_EQ(other.headers.get("Vary"), "Accept-Encoding, Origin");

  http::Response no_origin = http::Response::text("ok");
  apply_cors(app_policy(), std::nullopt, no_origin);
  EXPECT_FALSE(no_origin.headers.contains("Access-Control-Allow-Origin"));
}

TEST(Cors, AWildcardWithCredentialsEchoesTheOrigin) {
  CorsPolicy policy = app_policy();
  policy.allowed_origins = {"*"};
  http::Response anonymous = http::Response::text("ok");
  apply_cors(policy, "https://any.example", anonymous);
  EXPECT_EQ(anonymous.headers.get("Access-Control-Allow-Origin"), "*");

  policy.allow_credentials = true;
  http::Response credentialed = http::Response::text("ok");
  apply_cors(policy, "https://any.example", credentialed);
  EXPECT_EQ(credentialed.headers.get("Access-Control-Allow-Origin"), "https://any.example");
  EXPECT_EQ(credentialed.headers.get("Access-Control-Allow-Credentials"), "true");
}

TEST(Cors, OffWhenNoOriginIsConfigured) {
  http::Response response = http::Response::text("ok");
  response.headers.set("Access-Control-Allow-Origin", "https://upstream.example");
  apply_cors(CorsPolicy{}, "https://app.example", response);
  EXPECT_EQ(response.headers.get("Access-Control-Allow-Origin"), "https://upstream.example");
}

}  // namespace
}  // namespace eskit::runtime::gateway
