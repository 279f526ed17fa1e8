// The request reaches the upstream as the client sent it, minus what belongs to one hop, plus
// who the client was; the upstream's answer comes back as it is.
#include <gtest/gtest.h>

#include "eskit/runtime/http/metrics.hpp"
#include "gateway_fixture.hpp"
#include "raw_connection.hpp"

namespace eskit::runtime::gateway::test {
namespace {

class GatewayForwarding : public ::testing::Test {
 protected:
  GatewayForwarding() {
    auto options = loopback_options();
    options.upstreams = {{"review", review.base_url()}};
    options.routes = {{"/reviews", "review"}};
    options.public_paths = {"/reviews"};
    options.server.max_body_bytes = 1024;
    gateway = std::make_unique<Gateway>(std::move(options));
    gateway->start();
  }

  Seen last_seen() {
    auto seen = review.seen();
    EXPECT_FALSE(seen.empty());
    return seen.empty() ? Seen{} : seen.back();
  }

  EchoUpstream review{"review"};
  std::unique_ptr<Gateway> gateway;
};

TEST_F(GatewayForwarding, PassesMethodPathQueryBodyAndHeadersFaithfully) {
  http::Headers headers;
  headers.add("X-Tag", "first");
  headers.add("X-Tag", "second");
  headers.set("Content-Type", "application/vnd.review+json; charset=utf-8");
  headers.set("Accept", "application/json");
  headers.set("Authorization", "Basic not-a-bearer");  // public route: passed on untouched
  const std::string body = std::string("{\"stars\":5,\"text\":\"gr\xc3\xa9\x61t\"}") + '\0' + "x";
  auto result =
      call(gateway->port(), "PATCH", "/reviews/7/text?lang=fr&q=a%20b&q=c", headers, body);
  ASSERT_TRUE(result) << result.error().message;
  ASSERT_EQ(result->status, 200);

  const auto seen = last_seen();
  EXPECT_EQ(seen.method, "PATCH");
  EXPECT_EQ(seen.target, "/reviews/7/text?lang=fr&q=a%20b&q=c");
  EXPECT_EQ(seen.body, body);
  EXPECT_EQ(values(seen.headers, "X-Tag"), (std::vector<std::string>{"first", "second"}));
  EXPECT_EQ(seen.headers.get("Content-Type"), "application/vnd.review+json; charset=utf-8");
  EXPECT_EQ(seen.headers.get("Accept"), "application/json");
  EXPECT_EQ(seen.headers.get("Authorization"), "Basic not-a-bearer");
  EXPECT_EQ(seen.headers.get("Content-Length"), std::to_string(body.size()));
  // Who the client was, for the upstream's logs and links.
  EXPECT_EQ(seen.headers.get("X-Forwarded-For"), "127.0.0.1");
  EXPECT_EQ(seen.headers.get("X-Forwarded-Proto"), "http");
  EXPECT_EQ(seen.headers.get("X-Forwarded-Host"), "127.0.0.1:" + std::to_string(gateway->port()));
  // Host is the upstream's own.
  EXPECT_EQ(seen.headers.get("Host"), "127.0.0.1:" + std::to_string(review.port()));
}

TEST_F(GatewayForwarding, AppendsToAForwardedForChain) {
  http::Headers headers;
  headers.set("X-Forwarded-For", "203.0.113.9");
  headers.set("X-Forwarded-Proto", "https");
  ASSERT_TRUE(call(gateway->port(), "GET", "/reviews", headers));
  const auto seen = last_seen();
  EXPECT_EQ(seen.headers.get("X-Forwarded-For"), "203.0.113.9, 127.0.0.1");
  EXPECT_EQ(seen.headers.get("X-Forwarded-Proto"), "https");  // the edge's TLS, kept
}

TEST_F(GatewayForwarding, RemovesHopByHopHeadersBothWays) {
  http::test::RawConnection connection(gateway->port());
  ASSERT_TRUE(connection.connected());
  ASSERT_TRUE(connection.send(http::test::request_text(
      "GET", "/reviews/1",
      "Connection: keep-alive, X-Hop-Secret\r\nX-Hop-Secret: s3\r\nKeep-Alive: timeout=5\r\n"
      "TE: trailers\r\nProxy-Authorization: Basic eA==\r\nX-End-To-End: kept\r\n")));
  auto response = connection.read_response();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
  const auto seen = last_seen();
  for (const char* name :
       {"X-Hop-Secret", "Keep-Alive", "TE", "Proxy-Authorization", "Transfer-Encoding"})
    EXPECT_FALSE(seen.headers.contains(name)) << name;
  EXPECT_EQ(seen.headers.get("X-End-To-End"), "kept");
}

TEST_F(GatewayForwarding, ReturnsTheUpstreamStatusHeadersAndBodyAsTheyAre) {
  review.extra_response_headers.add("Set-Cookie", "a=1; Path=/");
  review.extra_response_headers.add("Set-Cookie", "b=2; Path=/");
  review.extra_response_headers.add("Cache-Control", "no-store");
  review.extra_response_headers.add("Connection", "X-Upstream-Hop");
  review.extra_response_headers.add("X-Upstream-Hop", "internal");
  for (int status : {201, 204, 409, 503}) {
    auto result = call(gateway->port(), "POST", "/reviews/status/" + std::to_string(status));
    ASSERT_TRUE(result) << result.error().message;
    EXPECT_EQ(result->status, status);
    EXPECT_EQ(result->headers.get("X-Upstream"), "review");
    EXPECT_EQ(values(result->headers, "Set-Cookie"),
              (std::vector<std::string>{"a=1; Path=/", "b=2; Path=/"}));
    EXPECT_EQ(result->headers.get("Cache-Control"), "no-store");
    EXPECT_FALSE(result->headers.contains("X-Upstream-Hop"));
    if (status != 204) {
      EXPECT_EQ(result->body, "status " + std::to_string(status));
    }
  }
}

TEST_F(GatewayForwarding, AddsACorrelationIdWhenAbsentAndPassesItOn) {
  auto fresh = call(gateway->port(), "GET", "/reviews/1");
  ASSERT_TRUE(fresh);
  const auto made = fresh->headers.get("X-Correlation-Id");
  ASSERT_TRUE(made);
  EXPECT_GE(made->size(), 32u);
  EXPECT_EQ(last_seen().headers.get("X-Correlation-Id"), *made);

  http::Headers headers;
  headers.set("X-Correlation-Id", "booking-42");
  auto kept = call(gateway->port(), "GET", "/reviews/1", headers);
  ASSERT_TRUE(kept);
  EXPECT_EQ(kept->headers.get("X-Correlation-Id"), "booking-42");
  EXPECT_EQ(values(last_seen().headers, "X-Correlation-Id"),
            std::vector<std::string>{"booking-42"});

  // An id no log should carry is replaced, upstream too.
  headers.set("X-Correlation-Id", "bad id with spaces");
  auto replaced = call(gateway->port(), "GET", "/reviews/1", headers);
  ASSERT_TRUE(replaced);
  const auto replacement = replaced->headers.get("X-Correlation-Id");
  ASSERT_TRUE(replacement);
  EXPECT_NE(*replacement, "bad id with spaces");
  EXPECT_EQ(last_seen().headers.get("X-Correlation-Id"), *replacement);
}

TEST_F(GatewayForwarding, KeepsClientConnectionsAliveAndPoolsUpstreamOnes) {
  auto upstream_connections = [&] {
    return review.server().metrics().counter("http_server_connections_total", "").value();
  };
  http::test::RawConnection connection(gateway->port());
  // The health monitor holds a connection of its own: count from after its first check.
  ASSERT_TRUE(eventually([&] { return gateway->monitor().rounds() >= 1; }));
  ASSERT_TRUE(connection.send(http::test::request_text("GET", "/reviews/first")));
  ASSERT_TRUE(connection.read_response());
  const double before = upstream_connections();
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(connection.send(http::test::request_text("GET", "/reviews/" + std::to_string(i))));
    auto response = connection.read_response();
    ASSERT_TRUE(response) << i;
    EXPECT_EQ(response->body, "review:/reviews/" + std::to_string(i));
  }
  EXPECT_EQ(gateway->metrics().counter("http_server_connections_total", "").value(), 1);
  EXPECT_EQ(upstream_connections(), before);
}

TEST_F(GatewayForwarding, EnforcesTheRequestSizeLimitBeforeCallingTheUpstream) {
  auto result = call(gateway->port(), "POST", "/reviews", {}, std::string(2048, 'x'));
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 413);
  EXPECT_EQ(review.count(), 0u);
}

TEST_F(GatewayForwarding, AnswersHeadWithoutWaitingForABody) {
  auto result = call(gateway->port(), "HEAD", "/reviews/1");
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_EQ(result->status, 200);
  EXPECT_EQ(last_seen().method, "HEAD");
  // The pooled upstream connection carries no stray body: the next answers are intact.
  for (int i = 0; i < 3; ++i) {
    auto next = call(gateway->port(), "GET", "/reviews/" + std::to_string(i));
    ASSERT_TRUE(next) << next.error().message;
    EXPECT_EQ(next->body, "review:/reviews/" + std::to_string(i));
  }
}

}  // namespace
}  // namespace eskit::runtime::gateway::test
