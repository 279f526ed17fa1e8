// An upstream that refuses, breaks the connection or does not answer in time becomes a
// problem+json 502 or 504, counted per upstream; the gateway itself stays up.
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/json/parse.hpp>

#include <thread>

#include "gateway_fixture.hpp"

namespace eskit::runtime::gateway::test {
namespace {

// Accepts connections on loopback, reads a little and closes each: a crashing upstream.
class Breaker {
 public:
  Breaker() {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = 0;
    ::bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address);
    ::listen(fd_, 16);
    socklen_t length = sizeof address;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &length);
    port_ = ntohs(address.sin_port);
    thread_ = std::thread([this] {
      for (;;) {
        const int client = ::accept(fd_, nullptr, nullptr);
        if (client < 0) return;
        char buffer[1024];
        (void)::recv(client, buffer, sizeof buffer, 0);
        ::close(client);
      }
    });
  }
  ~Breaker() {
    ::shutdown(fd_, SHUT_RDWR);
    ::close(fd_);
    thread_.join();
  }
  [[nodiscard]] std::uint16_t port() const { return port_; }

 private:
  int fd_ = -1;
  std::uint16_t port_ = 0;
  std::thread thread_;
};

// A port nothing listens on: bound, then released.
std::uint16_t closed_port() {
  http::Router router;
  http::test::TestServer server{std::move(router)};
  const auto port = server.port();
  server.server().stop();
  return port;
}

std::unique_ptr<Gateway> gateway_to(const std::string& url,
                                    std::chrono::milliseconds timeout = std::chrono::seconds{5}) {
  auto options = loopback_options();
  options.upstreams = {{"review", url}};
  options.routes = {{"/reviews", "review"}};
  options.public_paths = {"/"};
  options.upstream_timeout = timeout;
  auto gateway = std::make_unique<Gateway>(std::move(options));
  gateway->start();
  return gateway;
}

std::string problem_type(const http::ClientResponse& response) {
  EXPECT_EQ(response.headers.get("Content-Type"), "application/problem+json");
  return std::string(boost::json::parse(response.body).as_object().at("type").as_string());
}

double errors(Gateway& gateway, const std::string& reason) {
  return gateway.metrics()
      .counter("gateway_upstream_errors_total", "", {{"upstream", "review"}, {"reason", reason}})
      .value();
}

TEST(GatewayFailures, ARefusedConnectionIs502) {
  auto gateway = gateway_to("http://127.0.0.1:" + std::to_string(closed_port()));
  auto result = call(gateway->port(), "GET", "/reviews/1");
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_EQ(result->status, 502);
  EXPECT_EQ(problem_type(result.response()), "urn:eskit:problem:bad-gateway");
  EXPECT_NE(result->body.find("review"), std::string::npos) << result->body;
  EXPECT_EQ(errors(*gateway, "connection_refused"), 1);
}

TEST(GatewayFailures, ABrokenConnectionIs502) {
  Breaker breaker;
  auto gateway = gateway_to("http://127.0.0.1:" + std::to_string(breaker.port()));
  for (const char* method : {"GET", "POST"}) {
    auto result = call(gateway->port(), method, "/reviews/1");
    ASSERT_TRUE(result) << result.error().message;
    EXPECT_EQ(result->status, 502) << method;
    EXPECT_EQ(problem_type(result.response()), "urn:eskit:problem:bad-gateway");
  }
  EXPECT_EQ(errors(*gateway, "connection_failed"), 2);
  // The gateway is still serving.
  auto health = call(gateway->port(), "GET", "/health");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
}

TEST(GatewayFailures, AnUpstreamThatDoesNotAnswerInTimeIs504) {
  EchoUpstream review("review");
  auto gateway = gateway_to(review.base_url(), std::chrono::milliseconds{300});
  auto result = call(gateway->port(), "GET", "/reviews/slow");
  review.release.open();
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_EQ(result->status, 504);
  EXPECT_EQ(problem_type(result.response()), "urn:eskit:problem:upstream-timeout");
  EXPECT_EQ(errors(*gateway, "timeout"), 1);
  // The next call gets a fresh connection and its answer.
  auto next = call(gateway->port(), "GET", "/reviews/1");
  ASSERT_TRUE(next);
  EXPECT_EQ(next->status, 200);
}

TEST(GatewayFailures, ACallerWhoseDeadlineHasPassedIsNotForwarded) {
  EchoUpstream review("review");
  auto gateway = gateway_to(review.base_url());
  http::Headers headers;
  const auto past = std::chrono::system_clock::now() - std::chrono::seconds{1};
  headers.set(
      "X-Request-Deadline",
      std::to_string(
          std::chrono::duration_cast<std::chrono::milliseconds>(past.time_since_epoch()).count()));
  auto result = call(gateway->port(), "GET", "/reviews/1", headers);
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 504);
  EXPECT_EQ(review.count(), 0u);
}

}  // namespace
}  // namespace eskit::runtime::gateway::test
