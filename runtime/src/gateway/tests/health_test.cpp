// /ready follows the upstreams (saying which fails), /gateway/upstreams reports each one's
// state and last check, /metrics counts per route and per upstream error.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "gateway_fixture.hpp"

namespace eskit::runtime::gateway::test {
namespace {

class GatewayHealth : public ::testing::Test {
 protected:
  GatewayHealth() {
    auto options = loopback_options();
    options.upstreams = {{"review", review.base_url()}, {"schedule", schedule.base_url()}};
    options.routes = {{"/reviews", "review"}, {"/schedules", "schedule"}};
    options.public_paths = {"/"};
    gateway = std::make_unique<Gateway>(std::move(options));
    gateway->start();
  }

  int ready_status(std::string* body = nullptr) {
    auto result = call(gateway->port(), "GET", "/ready");
    if (!result) return 0;
    if (body) *body = result->body;
    return result->status;
  }

  boost::json::array report() {
    auto result = call(gateway->port(), "GET", "/gateway/upstreams");
    EXPECT_TRUE(result);
    if (!result) return {};
    EXPECT_EQ(result->status, 200);
    return boost::json::parse(result->body).as_object().at("upstreams").as_array();
  }

  EchoUpstream review{"review"};
  EchoUpstream schedule{"schedule"};
  std::unique_ptr<Gateway> gateway;
};

TEST_F(GatewayHealth, ReadyFailsWhileAnUpstreamIsNotReadyAndSaysWhich) {
  ASSERT_TRUE(eventually([&] { return ready_status() == 200; }));
  schedule.ready = false;
  std::string body;
  ASSERT_TRUE(eventually([&] { return ready_status(&body) == 503; }));
  const auto problem = boost::json::parse(body).as_object();
  EXPECT_EQ(problem.at("type"), "urn:eskit:problem:not-ready");
  const std::string detail(problem.at("detail").as_string());
  EXPECT_NE(detail.find("schedule"), std::string::npos) << detail;
  EXPECT_EQ(detail.find("review"), std::string::npos) << detail;
  // Requests still flow to the healthy upstream meanwhile.
  auto routed = call(gateway->port(), "GET", "/reviews/1");
  ASSERT_TRUE(routed);
  EXPECT_EQ(routed->status, 200);
  schedule.ready = true;
  EXPECT_TRUE(eventually([&] { return ready_status() == 200; }));
}

TEST_F(GatewayHealth, ReportsEachUpstreamsStateAndLastCheck) {
  schedule.ready = false;
  ASSERT_TRUE(eventually([&] {
    const auto upstreams = report();
    return upstreams.size() == 2 && upstreams[0].as_object().at("state") == "up" &&
           upstreams[1].as_object().at("state") == "down";
  }));
  const auto upstreams = report();
  const auto& up = upstreams[0].as_object();
  EXPECT_EQ(up.at("name"), "review");
  EXPECT_EQ(std::string(up.at("url").as_string()), review.base_url());
  EXPECT_EQ(up.at("status"), 200);
  EXPECT_FALSE(up.contains("reason"));
  const std::string checked(up.at("lastCheck").as_string());
  EXPECT_EQ(checked.size(), 24u) << checked;  // 2026-12-07T01:02:03.456Z
  EXPECT_EQ(checked.back(), 'Z');
  const auto& down = upstreams[1].as_object();
  EXPECT_EQ(down.at("name"), "schedule");
  EXPECT_EQ(down.at("status"), 503);
  EXPECT_NE(std::string(down.at("reason").as_string()).find("the test says so"), std::string::npos);
  EXPECT_GE(down.at("consecutiveFailures").as_int64(), 1);
}

TEST_F(GatewayHealth, AStoppedUpstreamIsReportedDown) {
  ASSERT_TRUE(eventually([&] { return ready_status() == 200; }));
  schedule.server().stop();
  std::string body;
  ASSERT_TRUE(eventually([&] { return ready_status(&body) == 503; }));
  EXPECT_NE(body.find("connection_refused"), std::string::npos) << body;
}

TEST_F(GatewayHealth, MetricsCountPerRouteAndPerUpstreamError) {
  for (int i = 0; i < 3; ++i)
    ASSERT_TRUE(call(gateway->port(), "GET", "/reviews/" + std::to_string(i)));
  ASSERT_TRUE(call(gateway->port(), "GET", "/schedules/status/404"));
  schedule.server().stop();
  ASSERT_TRUE(call(gateway->port(), "GET", "/schedules/1"));
  auto metrics = call(gateway->port(), "GET", "/metrics");
  ASSERT_TRUE(metrics);
  const std::string& text = metrics->body;
  auto has = [&](const std::string& line) { return text.find(line) != std::string::npos; };
  EXPECT_TRUE(
      has("gateway_requests_total{method=\"GET\",route=\"/reviews\",status=\"200\","
          "upstream=\"review\"} 3"))
      << text;
  EXPECT_TRUE(
      has("gateway_requests_total{method=\"GET\",route=\"/schedules\",status=\"404\","
          "upstream=\"schedule\"} 1"));
  EXPECT_TRUE(
      has("gateway_requests_total{method=\"GET\",route=\"/schedules\",status=\"502\","
          "upstream=\"schedule\"} 1"));
  EXPECT_TRUE(
      has("gateway_request_duration_seconds_count{route=\"/reviews\",upstream=\"review\"}"
          " 3"));
  EXPECT_TRUE(
      has("gateway_upstream_errors_total{reason=\"connection_refused\",upstream=\"schedule\"} 1"));
  EXPECT_TRUE(has("gateway_upstream_up{upstream=\"review\"}"));
}

}  // namespace
}  // namespace eskit::runtime::gateway::test
