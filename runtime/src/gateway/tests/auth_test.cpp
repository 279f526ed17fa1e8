// The token is verified once at the edge: protected routes need a valid one, the identity is
// forwarded as headers, and no client can forward an identity of its own.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "gateway_fixture.hpp"

namespace eskit::runtime::gateway::test {
namespace {

class GatewayAuth : public ::testing::Test {
 protected:
  GatewayAuth() {
    auto options = loopback_options();
    options.upstreams = {{"review", review.base_url()}};
    options.routes = {{"/reviews", "review"}, {"/auth", "review"}};
    options.public_paths = {"/auth/login"};
    options.realm = "datecourse";
    gateway = std::make_unique<Gateway>(std::move(options));
    gateway->start();
  }

  http::CallResult get(const std::string& target, http::Headers headers = {}) {
    return call(gateway->port(), "GET", target, std::move(headers));
  }

  static http::Headers bearer(const std::string& token) {
    http::Headers headers;
    headers.set("Authorization", "Bearer " + token);
    return headers;
  }

  void expect_refused(const http::CallResult& result, const std::string& code) {
    ASSERT_TRUE(result) << result.error().message;
    EXPECT_EQ(result->status, 401);
    EXPECT_EQ(result->headers.get("Content-Type"), "application/problem+json");
    EXPECT_EQ(std::string(boost::json::parse(result->body).as_object().at("type").as_string()),
              "urn:eskit:problem:" + code);
    const auto challenge = result->headers.get("WWW-Authenticate");
    ASSERT_TRUE(challenge);
    EXPECT_EQ(challenge->substr(0, 6), "Bearer");
    EXPECT_NE(challenge->find("realm=\"datecourse\""), std::string::npos) << *challenge;
  }

  EchoUpstream review{"review"};
  std::unique_ptr<Gateway> gateway;
};

TEST_F(GatewayAuth, AValidTokenPassesWithItsIdentityForwarded) {
  auto result = get("/reviews/7", bearer(token_for("alice", {"HOST", "CUSTOMER"})));
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_EQ(result->status, 200);
  ASSERT_EQ(review.count(), 1u);
  const auto seen = review.seen().back();
  EXPECT_EQ(seen.headers.get("X-Eskit-Subject"), "alice");
  EXPECT_EQ(seen.headers.get("X-Eskit-Roles"), "HOST,CUSTOMER");
}

TEST_F(GatewayAuth, AMissingTokenOnAProtectedRouteIs401AndNeverForwarded) {
  expect_refused(get("/reviews/7"), "missing-token");
  http::Headers basic;
  basic.set("Authorization", "Basic YWxpY2U6c2VjcmV0");
  expect_refused(get("/reviews/7", basic), "missing-token");
  EXPECT_EQ(review.count(), 0u);
}

TEST_F(GatewayAuth, AnExpiredTokenIs401) {
  // Issued two hours ago for one hour: past exp and the 30 s leeway.
  expect_refused(get("/reviews/7",
                     bearer(token_for("alice", {}, std::chrono::hours{2}, std::chrono::hours{1}))),
                 "invalid-token");
  EXPECT_EQ(review.count(), 0u);
}

TEST_F(GatewayAuth, ATamperedTokenIs401) {
  std::string token = token_for("alice", {"CUSTOMER"});
  // Flip one character of the payload: the signature no longer covers it.
  const auto dot = token.find('.');
  token[dot + 5] = token[dot + 5] == 'A' ? 'B' : 'A';
  expect_refused(get("/reviews/7", bearer(token)), "invalid-token");
  std::string foreign = token_for("alice");
  foreign.back() = foreign.back() == 'A' ? 'B' : 'A';
  expect_refused(get("/reviews/7", bearer(foreign)), "invalid-token");
  expect_refused(get("/reviews/7", bearer("not.a.token")), "invalid-token");
  EXPECT_EQ(review.count(), 0u);
}

TEST_F(GatewayAuth, SpoofedIdentityHeadersAreAlwaysStripped) {
  http::Headers spoofed = bearer(token_for("alice", {"CUSTOMER"}));
  spoofed.add("X-Eskit-Subject", "mallory");
  spoofed.add("x-eskit-roles", "ADMIN");
  auto protected_route = get("/reviews/7", spoofed);
  ASSERT_TRUE(protected_route);
  EXPECT_EQ(protected_route->status, 200);
  auto seen = review.seen().back();
  EXPECT_EQ(values(seen.headers, "X-Eskit-Subject"), std::vector<std::string>{"alice"});
  EXPECT_EQ(values(seen.headers, "X-Eskit-Roles"), std::vector<std::string>{"CUSTOMER"});

  // A public route with no token forwards no identity at all, whatever the client sent.
  http::Headers anonymous;
  anonymous.add("X-Eskit-Subject", "mallory");
  anonymous.add("X-Eskit-Roles", "ADMIN");
  auto public_route = call(gateway->port(), "POST", "/auth/login", anonymous, "{}");
  ASSERT_TRUE(public_route);
  EXPECT_EQ(public_route->status, 200);
  seen = review.seen().back();
  EXPECT_EQ(seen.target, "/auth/login");
  EXPECT_FALSE(seen.headers.contains("X-Eskit-Subject"));
  EXPECT_FALSE(seen.headers.contains("X-Eskit-Roles"));
}

TEST_F(GatewayAuth, APublicPathNeedsNoTokenButForwardsAValidOne) {
  auto anonymous = call(gateway->port(), "POST", "/auth/login", {}, "{}");
  ASSERT_TRUE(anonymous);
  EXPECT_EQ(anonymous->status, 200);
  // A bad token on a public route is ignored, not refused: the caller is anonymous.
  auto bad = call(gateway->port(), "POST", "/auth/login", bearer("not.a.token"), "{}");
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 200);
  EXPECT_FALSE(review.seen().back().headers.contains("X-Eskit-Subject"));
  auto known = call(gateway->port(), "POST", "/auth/login/refresh", bearer(token_for("bob")), "");
  ASSERT_TRUE(known);
  EXPECT_EQ(known->status, 200);
  EXPECT_EQ(review.seen().back().headers.get("X-Eskit-Subject"), "bob");
  // Only the public prefix is public: its sibling under the same route is not.
  expect_refused(get("/auth/users"), "missing-token");
  expect_refused(get("/auth/loginx"), "missing-token");
}

}  // namespace
}  // namespace eskit::runtime::gateway::test
