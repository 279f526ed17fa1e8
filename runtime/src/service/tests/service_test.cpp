// A service as a process: configuration errors stop it with exit 78 and a clear report; a
// configured one becomes ready, takes a command through database, outbox, broker and its own
// projection with the request's correlation id on every step and log line, and stops cleanly
// on SIGTERM.
#include <gtest/gtest.h>
#include <signal.h>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "child_process.hpp"
#include "eskit/runtime/http/client.hpp"
#include "test_support.hpp"

namespace eskit::runtime::service {
namespace {

using namespace kafka::testing;
namespace fs = std::filesystem;

class ScratchDir {
 public:
  ScratchDir() : path_(fs::temp_directory_path() / unique_name("eskit-service-test")) {
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~ScratchDir() { fs::remove_all(path_); }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

std::string read_file(const fs::path& path) {
  std::stringstream text;
  text << std::ifstream(path).rdbuf();
  return text.str();
}

// The port from the service's "listening" log line, once it is written.
std::optional<int> listening_port(const fs::path& log) {
  static const std::regex line(R"("msg":"listening".*"port":(\d+))");
  std::smatch match;
  const auto text = read_file(log);
  if (std::regex_search(text, match, line)) return std::stoi(match[1]);
  return std::nullopt;
}

TEST(ServiceProcess, AMissingSettingStopsItWithExit78AndNamesTheVariable) {
  ScratchDir dir;
  const auto log = dir.path() / "out.log";
  ChildProcess service({ESKIT_SAMPLE_SERVICE},
                       {"ESKIT_DB_URL=sqlite:" + (dir.path() / "ordering.db").string(),
                        "ESKIT_HTTP_PORT=not-a-port"},
                       log.string());
  const auto status = service.wait(Clock::now() + 20s);
  ASSERT_TRUE(status.has_value()) << "did not stop";
  EXPECT_EQ(*status, 78);
  const auto report = read_file(log);
  EXPECT_NE(report.find("ESKIT_KAFKA_BOOTSTRAP_SERVERS"), std::string::npos) << report;
  EXPECT_NE(report.find("ESKIT_HTTP_PORT"), std::string::npos) << report;
  EXPECT_FALSE(fs::exists(dir.path() / "ordering.db")) << "nothing starts on a bad configuration";
}

TEST(ServiceProcess, ServesACommandThroughOutboxBrokerAndProjectionThenStopsOnSigterm) {
  ScratchDir dir;
  const auto log = dir.path() / "out.log";
  const auto topic = unique_name("ordering.events");
  shared_broker().create_topic({topic, 2});
  ChildProcess service(
      {ESKIT_SAMPLE_SERVICE},
      {"ESKIT_DB_URL=sqlite:" + (dir.path() / "ordering.db").string(), "ESKIT_HTTP_PORT=0",
       "ESKIT_KAFKA_BOOTSTRAP_SERVERS=" + shared_broker().bootstrap_servers(),
       "ESKIT_ORDERING_EVENTS_TOPIC=" + topic,
       // Far beyond the waits below: every publish must come from a wake-up.
       "ESKIT_OUTBOX_POLL_INTERVAL=120s"},
      log.string());
  std::optional<int> port;
  ASSERT_TRUE(wait_until(Clock::now() + 20s, [&] {
    return (port = listening_port(log)).has_value();
  })) << read_file(log);
  const auto base = "http://127.0.0.1:" + std::to_string(*port);
  http::Client client;
  ASSERT_TRUE(wait_until(Clock::now() + 20s, [&] {
    auto ready = client.call(http::ClientRequest::get(base + "/ready"));
    return ready && ready->status == 200;
  })) << read_file(log);

  auto place = http::ClientRequest::json("POST", base + "/orders/o-7/place",
                                         boost::json::parse(R"({"total":4200})"));
  place.headers.set("X-Correlation-Id", "checkout-7");
  auto placed = client.call(place);
  ASSERT_TRUE(placed);
  EXPECT_EQ(placed->status, 201) << placed->body;
  auto again = client.call(place);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, 409) << again->body;
  auto invalid = client.call(http::ClientRequest::json("POST", base + "/orders/o-8/place",
                                                       boost::json::parse(R"({"total":"x"})")));
  ASSERT_TRUE(invalid);
  EXPECT_EQ(invalid->status, 400) << invalid->body;

  // The projection ran in the same service, from the broker, with the request's correlation.
  boost::json::value view;
  ASSERT_TRUE(wait_until(Clock::now() + 30s, [&] {
    auto got = client.call(http::ClientRequest::get(base + "/orders/o-7"));
    if (!got || got->status != 200) return false;
    view = got->json();
    return true;
  })) << read_file(log);
  EXPECT_EQ(view.at("total").as_int64(), 4200);
  EXPECT_EQ(view.at("correlationId").as_string(), "checkout-7");

  // The invoicing policy's event, appended while the inbox handled OrderPlaced, was published
  // without waiting for the relay's poll: the inbox's commit woke it, as a command's does.
  const std::string published = R"(eskit_outbox_published_total{relay="ordering"} )";
  std::string metrics;
  EXPECT_TRUE(wait_until(Clock::now() + 30s, [&] {
    auto got = client.call(http::ClientRequest::get(base + "/metrics"));
    if (!got || got->status != 200) return false;
    metrics = got->body;
    return metrics.find(published + "2\n") != std::string::npos;
  })) << metrics;

  service.signal(SIGTERM);
  const auto status = service.wait(Clock::now() + 20s);
  ASSERT_TRUE(status.has_value()) << "did not stop on SIGTERM";
  EXPECT_EQ(*status, 0) << read_file(log);

  // Every line is JSON; the command's line carries its correlation id.
  std::stringstream lines(read_file(log));
  std::string line;
  bool saw_command = false;
  while (std::getline(lines, line)) {
    boost::system::error_code error;
    const auto parsed = boost::json::parse(line, error);
    ASSERT_FALSE(error) << "not a JSON log line: " << line;
    const auto& object = parsed.as_object();
    if (object.at("msg") == "order placed") {
      saw_command = true;
      EXPECT_EQ(object.at("correlation_id"), "checkout-7") << line;
    }
  }
  EXPECT_TRUE(saw_command) << read_file(log);
  EXPECT_NE(read_file(log).find(R"("msg":"stopped")"), std::string::npos);
}

}  // namespace
}  // namespace eskit::runtime::service
