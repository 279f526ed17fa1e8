// The gateway's configuration: routes and upstreams from a file or the environment, every
// mistake reported at once with where it came from.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>

#include "eskit/runtime/config/load.hpp"
#include "eskit/runtime/gateway/settings.hpp"
#include "gateway_fixture.hpp"

namespace eskit::runtime::gateway::test {
namespace {

config::Environment environment(std::map<std::string, std::string> variables) {
  variables.emplace("ESKIT_AUTH_JWT_ALGORITHM", "HS256");
  variables.emplace("ESKIT_AUTH_JWT_KEY", test_secret);
  variables.emplace("ESKIT_AUTH_JWT_ISSUER", test_issuer);
  variables.emplace("ESKIT_AUTH_JWT_AUDIENCE", test_audience);
  return [variables](const std::string& name) -> std::optional<std::string> {
    auto it = variables.find(name);
    if (it == variables.end()) return std::nullopt;
    return it->second;
  };
}

config::LoadResult load(const std::string& yaml, std::map<std::string, std::string> variables) {
  config::Schema schema;
  declare_gateway_settings(schema);
  const auto file = std::filesystem::temp_directory_path() /
                    ("eskit-gateway-settings-" + std::to_string(::getpid()) + ".yaml");
  std::ofstream(file) << yaml;
  config::Sources sources;
  sources.file = file;
  sources.environment = environment(std::move(variables));
  auto result = config::load(schema, sources);
  std::filesystem::remove(file);
  return result;
}

TEST(GatewaySettings, ReadsRoutesUpstreamsAndCorsFromTheFileWithEnvironmentOverrides) {
  const auto loaded = load(R"(gateway:
  routes: [/reviews=review, /schedules=schedule]
  upstreams: [review=http://review:8080, schedule=http://schedule:8080/]
  publicPaths: [/auth/login]
  upstreamTimeout: 700ms
  cors:
    allowedOrigins: [https://app.example]
    maxAge: 5m
http:
  port: 9000
)",
                           {{"ESKIT_GATEWAY_UPSTREAMS",
                             "review=http://127.0.0.1:8081, schedule=http://127.0.0.1:8082"}});
  ASSERT_TRUE(loaded.ok()) << config::format_problems(loaded.problems());
  const auto read = read_gateway_settings(loaded.config());
  ASSERT_TRUE(read.ok()) << config::format_problems(read.problems());
  const auto& options = read.settings().options;
  ASSERT_EQ(options.routes.size(), 2u);
  EXPECT_EQ(options.routes[1].prefix, "/schedules");
  EXPECT_EQ(options.routes[1].upstream, "schedule");
  ASSERT_EQ(options.upstreams.size(), 2u);
  EXPECT_EQ(options.upstreams[0].base_url, "http://127.0.0.1:8081");  // the environment wins
  EXPECT_EQ(options.public_paths, std::vector<std::string>{"/auth/login"});
  EXPECT_EQ(options.upstream_timeout, std::chrono::milliseconds{700});
  EXPECT_EQ(options.cors.allowed_origins, std::vector<std::string>{"https://app.example"});
  EXPECT_EQ(options.cors.max_age, std::chrono::seconds{300});
  EXPECT_EQ(options.server.port, 9000);
  EXPECT_EQ(options.server.worker_threads, 32u);
  EXPECT_TRUE(options.verifier.has_value());
  EXPECT_NO_THROW(Gateway{options});
}

TEST(GatewaySettings, ReportsEveryMistakeAtOnce) {
  const auto loaded = load(R"(gateway:
  routes: [/reviews=reviw, schedules=schedule, /courses]
  upstreams: [schedule=https://schedule:8443]
  cors:
    allowedOrigins: [app.example]
)",
                           {});
  ASSERT_TRUE(loaded.ok()) << config::format_problems(loaded.problems());
  const auto read = read_gateway_settings(loaded.config());
  ASSERT_FALSE(read.ok());
  const std::string report = config::format_problems(read.problems());
  EXPECT_EQ(read.problems().size(), 5u) << report;
  EXPECT_NE(report.find("https"), std::string::npos) << report;
  EXPECT_NE(report.find("'reviw'"), std::string::npos) << report;
  EXPECT_NE(report.find("known upstreams: schedule"), std::string::npos) << report;
  EXPECT_NE(report.find("must start with '/'"), std::string::npos) << report;
  EXPECT_NE(report.find("'/courses' is not of the form"), std::string::npos) << report;
  EXPECT_NE(report.find("app.example"), std::string::npos) << report;
}

TEST(GatewaySettings, RoutesAndUpstreamsAreRequired) {
  config::Schema schema;
  declare_gateway_settings(schema);
  config::Sources sources;
  sources.environment = environment({});
  const auto loaded = config::load(schema, sources);
  ASSERT_FALSE(loaded.ok());
  const std::string report = config::format_problems(loaded.problems());
  EXPECT_NE(report.find("gateway.routes"), std::string::npos) << report;
  EXPECT_NE(report.find("gateway.upstreams"), std::string::npos) << report;
}

}  // namespace
}  // namespace eskit::runtime::gateway::test
