// Requests reach the upstream their path's longest prefix names; unrouted paths are 404s.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "gateway_fixture.hpp"

namespace eskit::runtime::gateway::test {
namespace {

TEST(GatewayRouting, SendsEachPathToTheLongestPrefixUpstream) {
  EchoUpstream review("review");
  EchoUpstream moderation("moderation");
  auto options = loopback_options();
  options.upstreams = {{"review", review.base_url()}, {"moderation", moderation.base_url()}};
  options.routes = {{"/reviews", "review"}, {"/reviews/admin", "moderation"}};
  options.public_paths = {"/"};
  Gateway gateway(std::move(options));
  gateway.start();

  auto plain = call(gateway.port(), "GET", "/reviews/7?sort=desc");
  ASSERT_TRUE(plain) << plain.error().message;
  EXPECT_EQ(plain->status, 200);
  EXPECT_EQ(plain->body, "review:/reviews/7?sort=desc");
  auto admin = call(gateway.port(), "GET", "/reviews/admin/3");
  ASSERT_TRUE(admin);
  EXPECT_EQ(admin->body, "moderation:/reviews/admin/3");
  EXPECT_EQ(review.count(), 1u);
  EXPECT_EQ(moderation.count(), 1u);
}

TEST(GatewayRouting, AnswersAPathNoPrefixCoversWithProblem404) {
  EchoUpstream review("review");
  auto options = loopback_options();
  options.upstreams = {{"review", review.base_url()}};
  options.routes = {{"/reviews", "review"}};
  options.public_paths = {"/"};
  Gateway gateway(std::move(options));
  gateway.start();

  for (const char* target : {"/reviewsx", "/", "/courses/1"}) {
    auto result = call(gateway.port(), "GET", target);
    ASSERT_TRUE(result);
    EXPECT_EQ(result->status, 404) << target;
    EXPECT_EQ(result->headers.get("Content-Type"), "application/problem+json");
    const auto problem = boost::json::parse(result->body).as_object();
    EXPECT_EQ(problem.at("type"), "urn:eskit:problem:no-route");
  }
  EXPECT_EQ(review.count(), 0u);
  // The gateway's own endpoints are not routed.
  auto health = call(gateway.port(), "GET", "/health");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
  EXPECT_EQ(review.count(), 0u);
}

TEST(GatewayRouting, RefusesAConfigurationThatCannotWork) {
  auto options = loopback_options();
  options.upstreams = {{"review", "http://127.0.0.1:1"}};
  options.routes = {{"/reviews", "reviw"}};
  EXPECT_THROW(Gateway{options}, std::invalid_argument);
  options.routes = {{"/reviews", "review"}};
  options.upstreams = {{"review", "https://review:8443"}};
  EXPECT_THROW(Gateway{options}, std::invalid_argument);
  options.upstreams = {{"review", "http://127.0.0.1:1"}};
  options.verifier.reset();  // a protected route with nothing to check its tokens
  EXPECT_THROW(Gateway{options}, std::invalid_argument);
  options.public_paths = {"/reviews"};
  EXPECT_NO_THROW(Gateway{options});
}

}  // namespace
}  // namespace eskit::runtime::gateway::test
