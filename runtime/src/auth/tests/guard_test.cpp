// Guards end to end, through a real server: 401 with a Bearer challenge for a missing or bad
// token, 403 without the role, the handler with the caller's identity otherwise; and hostile
// input reaches handlers as data, or stops at the server's limits.
#include "eskit/runtime/auth/guard.hpp"

#include <gtest/gtest.h>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <atomic>

#include "auth/base64.hpp"
#include "eskit/runtime/auth/signer.hpp"
#include "eskit/runtime/http/client.hpp"
#include "eskit/runtime/http/problem.hpp"
#include "served.hpp"
#include "test_keys.hpp"

namespace eskit::runtime::auth::test {
namespace {

namespace json = boost::json;
using namespace std::chrono_literals;

constexpr std::string_view issuer = "https://login.petmily.test";
constexpr std::size_t max_body = 64 * 1024;

// Fixed, and never moved while the server runs: handlers read it from worker threads.
Clock fixed_clock() {
  return [] { return std::chrono::system_clock::time_point{test_now}; };
}

JwtVerifier rs256_verifier() {
  return JwtVerifier({.algorithm = Algorithm::rs256,
                      .keys = {rsa_keys().public_pem},
                      .issuer = std::string(issuer),
                      .audiences = {"petmily"},
                      .clock = fixed_clock()});
}

JwtSigner rs256_signer() {
  return JwtSigner({.algorithm = Algorithm::rs256,
                    .key = rsa_keys().private_pem,
                    .issuer = std::string(issuer),
                    .audiences = {"petmily"},
                    .clock = fixed_clock()});
}

json::object claims(std::string_view subject, json::array roles) {
  return {{"sub", subject},
          {"roles", std::move(roles)},
          {"iss", issuer},
          {"aud", "petmily"},
          {"iat", test_now.time_since_epoch().count()},
          {"exp", (test_now + 300s).time_since_epoch().count()}};
}

std::string rs256(const json::object& payload, std::string_view header = R"({"alg":"RS256"})") {
  return signed_rs256(header, json::serialize(payload), rsa_keys().private_pem);
}

http::Router petmily_routes(const Guard& guard, std::atomic<int>& calls) {
  http::Router router;
  router.get("/me", guard.protect([&calls](http::Request&, const Identity& who) {
    ++calls;
    json::array roles;
    for (const auto& role : who.roles) roles.emplace_back(role);
    return http::Response::json(
        json::object{{"subject", who.subject},
                     {"roles", roles},
                     {"source", who.source == Identity::Source::token ? "token" : "gateway"}});
  }));
  router.post("/sitters/{sitterId}/approve",
              guard.protect({"ADMIN"}, [&calls](http::Request& request, const Identity& who) {
                ++calls;
                return http::Response::json(json::object{{"sitterId", request.param("sitterId")},
                                                         {"approvedBy", who.subject}});
              }));
  router.post("/notes", guard.protect([](http::Request& request, const Identity&) {
    return http::Response::text(request.body());
  }),
              http::Body::any);
  router.get("/notes/{noteId}", guard.protect([](http::Request& request, const Identity&) {
    return http::Response::json(
        json::object{{"noteId", request.param("noteId")}, {"q", request.query("q").value_or("")}});
  }));
  return router;
}

http::ServerOptions limits() {
  http::ServerOptions options;
  options.max_body_bytes = max_body;
  options.max_header_bytes = 16 * 1024;
  return options;
}

class GuardTest : public ::testing::Test {
 protected:
  std::atomic<int> calls{0};
  Guard guard{rs256_verifier(), {.realm = "petmily"}};
  Served server{petmily_routes(guard, calls), limits()};
  http::Client client;

  http::ClientResponse call(std::string method, std::string_view path,
                            std::string authorization = {}, std::string body = {},
                            std::string content_type = "application/json") {
    http::ClientRequest request;
    request.method = std::move(method);
    request.url = server.url(path);
    if (!authorization.empty()) request.headers.set("Authorization", std::move(authorization));
    if (!body.empty()) request.headers.set("Content-Type", std::move(content_type));
    request.body = std::move(body);
    auto result = client.call(request);
    EXPECT_TRUE(result) << (result ? "" : result.error().message);
    return result ? result.response() : http::ClientResponse{};
  }
  http::ClientResponse call(http::ClientRequest request) {
    auto result = client.call(request);
    EXPECT_TRUE(result) << (result ? "" : result.error().message);
    return result ? result.response() : http::ClientResponse{};
  }
  http::ClientResponse get_me(std::string authorization) {
    return call("GET", "/me", std::move(authorization));
  }
};

TEST_F(GuardTest, NoTokenIs401WithABareBearerChallenge) {
  auto response = get_me("");
  EXPECT_EQ(response.status, 401);
  EXPECT_EQ(response.headers.get("WWW-Authenticate"), R"(Bearer realm="petmily")");
  EXPECT_EQ(response.headers.get("Content-Type"), "application/problem+json");
  json::value problem = response.json();
  EXPECT_EQ(problem.at("type"), "urn:eskit:problem:missing-token");
  EXPECT_EQ(problem.at("status"), 401);
  EXPECT_EQ(problem.at("instance"), "/me");
  EXPECT_EQ(calls, 0);
}

TEST_F(GuardTest, EveryKindOfBadTokenIs401InvalidToken) {
  json::object member = claims("hong", {"MEMBER"});
  auto with = [&](std::string_view key, json::value value) {
    json::object c = member;
    c[key] = std::move(value);
    return c;
  };
  std::string good = rs256(member);
  std::size_t first = good.find('.');
  std::size_t second = good.rfind('.');
  std::string promoted =
      good.substr(0, first + 1) +
      detail::base64url_encode(json::serialize(claims("hong", {"MEMBER", "ADMIN"}))) +
      good.substr(second);
  std::string signature = *detail::base64url_decode(good.substr(second + 1));
  signature[10] = static_cast<char>(signature[10] ^ 0x80);
  std::string flipped = good.substr(0, second + 1) + detail::base64url_encode(signature);
  std::string payload = json::serialize(member);

  struct Case {
    std::string name;
    std::string token;
    std::string reason;
  };
  std::vector<Case> cases{
      {"expired", rs256(with("exp", (test_now - 31s).time_since_epoch().count())), "expired"},
      {"not yet valid", rs256(with("nbf", (test_now + 31s).time_since_epoch().count())),
       "not_yet_valid"},
      {"wrong issuer", rs256(with("iss", "https://evil.test")), "wrong_issuer"},
      {"wrong audience", rs256(with("aud", "billing")), "wrong_audience"},
      {"tampered payload", promoted, "bad_signature"},
      {"tampered signature", flipped, "bad_signature"},
      {"alg none, unsigned", compact(R"({"alg":"none"})", payload, ""), "unsupported_algorithm"},
      {"alg none, signed", signed_hs256(R"({"alg":"none"})", payload, hs_secret),
       "unsupported_algorithm"},
      {"HS256 with the public key as secret",
       signed_hs256(R"({"alg":"HS256"})", payload, rsa_keys().public_pem), "algorithm_mismatch"},
      {"another RSA key", signed_rs256(R"({"alg":"RS256"})", payload, other_rsa_keys().private_pem),
       "bad_signature"},
      {"two parts", good.substr(0, second), "malformed"},
      {"missing exp", rs256([&] {
         json::object c = member;
         c.erase("exp");
         return c;
       }()),
       "missing_claim"},
      {"over the token limit", std::string(9000, 'A'), "too_large"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    auto response = get_me("Bearer " + c.token);
    EXPECT_EQ(response.status, 401);
    auto challenge = std::string(response.headers.get("WWW-Authenticate").value_or(""));
    EXPECT_TRUE(challenge.starts_with(
        R"(Bearer realm="petmily", error="invalid_token", error_description=")"))
        << challenge;
    json::value problem = response.json();
    EXPECT_EQ(problem.at("type"), "urn:eskit:problem:invalid-token");
    EXPECT_EQ(problem.at("reason"), json::value(c.reason));
  }
  EXPECT_EQ(calls, 0);
}

TEST_F(GuardTest, ChallengeSaysWhyInWordsAndProblemAgrees) {
  json::object expired = claims("hong", {"MEMBER"});
  expired["exp"] = (test_now - 60s).time_since_epoch().count();
  auto response = get_me("Bearer " + rs256(expired));
  EXPECT_EQ(response.headers.get("WWW-Authenticate"),
            R"(Bearer realm="petmily", error="invalid_token", )"
            R"(error_description="the token has expired")");
  EXPECT_EQ(response.json().at("detail"), "the token has expired");
}

TEST_F(GuardTest, OtherSchemesCarryNoBearerToken) {
  EXPECT_EQ(get_me("Basic aG9uZzpwZXRtaWx5").json().at("type"), "urn:eskit:problem:missing-token");
  for (std::string header : {"Bearer", "Bearer ", "Bearer a b", "Bearer \"quoted\""}) {
    auto response = get_me(header);
    EXPECT_EQ(response.status, 401) << header;
    EXPECT_EQ(response.json().at("type"), "urn:eskit:problem:invalid-token") << header;
  }
}

// The client sends one field per name, so this one is checked without the network.
TEST(GuardUnit, TwoAuthorizationHeadersAreRefused) {
  Guard guard{rs256_verifier()};
  http::Headers headers;
  headers.add("Authorization", "Bearer " + rs256(claims("hong", {"MEMBER"})));
  headers.add("authorization", "Bearer " + rs256(claims("admin-kim", {"ADMIN"})));
  http::Request request("GET", "/me", headers);
  try {
    (void)guard.authenticate(request);
    ADD_FAILURE() << "two Authorization headers were accepted";
  } catch (const http::Problem& problem) {
    EXPECT_EQ(problem.status(), 401);
    EXPECT_EQ(problem.code(), "invalid-token");
  }
  headers.remove("authorization");
  headers.add("Authorization", "Bearer " + rs256(claims("hong", {"MEMBER"})));
  EXPECT_EQ(guard.authenticate(http::Request("GET", "/me", headers)).subject, "hong");
}

TEST_F(GuardTest, ValidTokenWithoutTheRoleIs403) {
  auto response =
      call("POST", "/sitters/s-7/approve", "Bearer " + rs256(claims("hong", {"MEMBER"})), "{}");
  EXPECT_EQ(response.status, 403);
  EXPECT_FALSE(response.headers.contains("WWW-Authenticate"));
  json::value problem = response.json();
  EXPECT_EQ(problem.at("type"), "urn:eskit:problem:forbidden");
  EXPECT_EQ(problem.at("detail"), "this action needs the role ADMIN");
  EXPECT_EQ(calls, 0);
}

TEST_F(GuardTest, ValidTokenWithTheRoleReachesTheHandlerWithTheSubject) {
  auto response = call("POST", "/sitters/s-7/approve",
                       "Bearer " + rs256(claims("admin-kim", {"MEMBER", "ADMIN"})), "{}");
  EXPECT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(response.json().at("approvedBy"), "admin-kim");
  EXPECT_EQ(response.json().at("sitterId"), "s-7");
  EXPECT_EQ(calls, 1);
}

TEST_F(GuardTest, TokensFromTheSignerAreAcceptedAndTheSchemeIsCaseInsensitive) {
  IssuedToken issued = rs256_signer().sign({.subject = "hong", .roles = {"MEMBER"}});
  auto response = get_me("bearer " + issued.token);
  EXPECT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(response.json().at("subject"), "hong");
  EXPECT_EQ(response.json().at("roles"), json::array{"MEMBER"});
  EXPECT_EQ(response.json().at("source"), "token");
}

TEST_F(GuardTest, UntrustedForwardedIdentityIsIgnored) {
  http::ClientRequest request = http::ClientRequest::get(server.url("/me"));
  request.headers.set("X-Eskit-Subject", "admin-kim");
  request.headers.set("X-Eskit-Roles", "ADMIN");
  EXPECT_EQ(call(request).status, 401);

  request.method = "POST";
  request.url = server.url("/sitters/s-7/approve");
  request.headers.set("Authorization", "Bearer " + rs256(claims("hong", {"MEMBER"})));
  request.body = "{}";
  request.headers.set("Content-Type", "application/json");
  EXPECT_EQ(call(request).status, 403);
  EXPECT_EQ(calls, 0);
}

TEST(GuardBehindGateway, TrustedForwardedIdentityIsTheCaller) {
  std::atomic<int> calls{0};
  Guard guard{rs256_verifier(), {.forwarded = {.trusted = true}}};
  Served server{petmily_routes(guard, calls)};
  http::Client client;
  http::ClientRequest request;
  request.method = "POST";
  request.url = server.url("/sitters/s-7/approve");
  request.headers.set("Content-Type", "application/json");
  request.body = "{}";
  forward_identity({.subject = "admin-kim", .roles = {"ADMIN"}}, request.headers);
  auto result = client.call(request);
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 200) << result->body;
  EXPECT_EQ(result->json().at("approvedBy"), "admin-kim");

  forward_identity({.subject = "hong", .roles = {"MEMBER"}}, request.headers);
  EXPECT_EQ(client.call(request)->status, 403);
}

// The acceptance's hostile inputs: text that looks like SQL is data to a handler and comes
// back byte for byte; nothing interprets it on the way.
TEST_F(GuardTest, SqlLookingInputIsReturnedVerbatim) {
  const std::string sql = "'; drop table users; --";
  std::string bearer = "Bearer " + rs256(claims("hong", {"MEMBER"}));
  auto echoed = call("POST", "/notes", bearer, sql, "text/plain");
  EXPECT_EQ(echoed.status, 200);
  EXPECT_EQ(echoed.body, sql);

  auto by_path =
      call("GET", "/notes/%27%3B%20drop%20table%20users%3B%20--?q=%27%20OR%201%3D1--", bearer);
  EXPECT_EQ(by_path.status, 200) << by_path.body;
  EXPECT_EQ(by_path.json().at("noteId"), json::value(sql));
  EXPECT_EQ(by_path.json().at("q"), "' OR 1=1--");
}

TEST_F(GuardTest, VeryLongInputIsEchoedUpToTheLimitAnd413Beyond) {
  std::string bearer = "Bearer " + rs256(claims("hong", {"MEMBER"}));
  std::string at_limit(max_body, 'x');
  at_limit.replace(0, 23, "'; drop table users; --");
  auto echoed = call("POST", "/notes", bearer, at_limit, "text/plain");
  EXPECT_EQ(echoed.status, 200);
  EXPECT_EQ(echoed.body, at_limit);

  auto refused = call("POST", "/notes", bearer, at_limit + "x", "text/plain");
  EXPECT_EQ(refused.status, 413);
  EXPECT_EQ(refused.json().at("type"), "urn:eskit:problem:body-too-large");
}

TEST_F(GuardTest, TokenBeyondTheHeaderLimitIs431) {
  auto response = get_me("Bearer " + std::string(20 * 1024, 'A'));
  EXPECT_EQ(response.status, 431);
  EXPECT_EQ(calls, 0);
}

}  // namespace
}  // namespace eskit::runtime::auth::test
