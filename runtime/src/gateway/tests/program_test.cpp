// The eskit-gateway process: configuration from the environment, serving, SIGTERM.
#include <gtest/gtest.h>

#include <unistd.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "child_process.hpp"
#include "gateway_fixture.hpp"

namespace eskit::runtime::gateway::test {
namespace {

using kafka::testing::ChildProcess;
using kafka::testing::run_process;

std::vector<std::string> gateway_environment(const EchoUpstream& upstream) {
  return {"ESKIT_GATEWAY_ROUTES=/reviews=review",
          "ESKIT_GATEWAY_UPSTREAMS=review=" + upstream.base_url(),
          "ESKIT_GATEWAY_HEALTH_INTERVAL=100ms",
          "ESKIT_HTTP_PORT=0",
          "ESKIT_AUTH_JWT_ALGORITHM=HS256",
          "ESKIT_AUTH_JWT_KEY=" + test_secret,
          "ESKIT_AUTH_JWT_ISSUER=" + test_issuer,
          "ESKIT_AUTH_JWT_AUDIENCE=" + test_audience};
}

std::string read_all(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(GatewayProgram, ServesUntilSigtermThenStopsCleanly) {
  EchoUpstream review("review");
  const auto log = std::filesystem::temp_directory_path() /
                   ("eskit-gateway-program-" + std::to_string(::getpid()) + ".log");
  ChildProcess gateway({ESKIT_GATEWAY_PATH}, gateway_environment(review), log.string());
  std::uint16_t port = 0;
  ASSERT_TRUE(eventually([&] {
    std::smatch match;
    const std::string text = read_all(log);
    if (!std::regex_search(text, match, std::regex("\"msg\":\"listening\".*\"port\":([0-9]+)")))
      return false;
    port = static_cast<std::uint16_t>(std::stoi(match[1]));
    return true;
  })) << read_all(log);

  auto routed = call(port, "GET", "/reviews/1", [] {
    http::Headers headers;
    headers.set("Authorization", "Bearer " + token_for("alice"));
    return headers;
  }());
  ASSERT_TRUE(routed) << routed.error().message;
  EXPECT_EQ(routed->status, 200);
  EXPECT_EQ(routed->body, "review:/reviews/1");
  EXPECT_EQ(review.seen().back().headers.get("X-Eskit-Subject"), "alice");
  EXPECT_TRUE(eventually([&] {
    auto ready = call(port, "GET", "/ready");
    return ready && ready->status == 200;
  }));

  gateway.signal(SIGTERM);
  EXPECT_EQ(gateway.wait(std::chrono::steady_clock::now() + std::chrono::seconds{20}), 0);
  EXPECT_NE(read_all(log).find("\"msg\":\"stopped\""), std::string::npos) << read_all(log);
  std::filesystem::remove(log);
}

TEST(GatewayProgram, ABadConfigurationExits78WithEveryProblem) {
  const auto result = run_process(
      {"env", "ESKIT_GATEWAY_ROUTES=/reviews=nowhere", "ESKIT_GATEWAY_UPSTREAMS=review=ftp://x",
       "ESKIT_AUTH_JWT_ALGORITHM=HS256", "ESKIT_AUTH_JWT_KEY=short", "ESKIT_AUTH_JWT_ISSUER=i",
       "ESKIT_AUTH_JWT_AUDIENCE=a", ESKIT_GATEWAY_PATH},
      "", std::chrono::steady_clock::now() + std::chrono::seconds{20});
  EXPECT_EQ(result.exit_status, 78) << result.err;
  EXPECT_NE(result.err.find("nowhere"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("ftp://x"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("auth.jwt.key"), std::string::npos) << result.err;
}

}  // namespace
}  // namespace eskit::runtime::gateway::test
