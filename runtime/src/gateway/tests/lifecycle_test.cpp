// A graceful stop: no new connections, requests in flight still get their upstream's answer.
#include <gtest/gtest.h>

#include <optional>
#include <thread>

#include "gateway_fixture.hpp"
#include "raw_connection.hpp"

namespace eskit::runtime::gateway::test {
namespace {

TEST(GatewayLifecycle, StopLetsARequestInFlightFinishWithItsAnswer) {
  EchoUpstream review("review");
  auto options = loopback_options();
  options.upstreams = {{"review", review.base_url()}};
  options.routes = {{"/reviews", "review"}};
  options.public_paths = {"/"};
  Gateway gateway(std::move(options));
  gateway.start();
  const auto port = gateway.port();

  std::optional<http::CallResult> in_flight;
  std::thread caller([&] { in_flight.emplace(call(port, "GET", "/reviews/slow")); });
  ASSERT_TRUE(eventually([&] { return review.count() == 1; }));
  std::thread stopper([&] { gateway.stop(std::chrono::seconds{10}); });
  // Stopping refuses new connections at once, while the slow request is still upstream.
  EXPECT_TRUE(eventually([&] { return !http::test::can_connect(port); }));
  review.release.open();
  caller.join();
  stopper.join();
  ASSERT_TRUE(in_flight && *in_flight) << (in_flight ? in_flight->error().message : "no call");
  EXPECT_EQ((*in_flight)->status, 200);
  EXPECT_EQ((*in_flight)->body, "slow");
  gateway.stop();  // idempotent
}

}  // namespace
}  // namespace eskit::runtime::gateway::test
