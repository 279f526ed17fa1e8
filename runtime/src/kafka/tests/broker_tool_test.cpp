// The eskit-broker executable: announces its address in a file, serves producers and
// consumers in other processes, goes down and up on SIGUSR1/SIGUSR2, and exits cleanly on
// SIGTERM.

#include <gtest/gtest.h>

#include <atomic>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>

#include "child_process.hpp"
#include "eskit/runtime/kafka/consumer.hpp"
#include "eskit/runtime/kafka/producer.hpp"
#include "test_support.hpp"

namespace eskit::runtime::kafka {
namespace {

using namespace testing;

TEST(EskitBrokerTool, ServesThroughItsAddressFileAndStopsOnSigterm) {
  const auto directory =
      std::filesystem::temp_directory_path() / ("eskit-broker-test-" + std::to_string(::getpid()));
  std::filesystem::create_directories(directory);
  const auto address_file = directory / "bootstrap";
  std::filesystem::remove(address_file);

  ChildProcess broker({ESKIT_BROKER_PATH, "--address-file", address_file.string(), "--topic",
                       "trips:2", "--topic", "audit:1"});
  ASSERT_TRUE(wait_until(Clock::now() + 10s, [&] { return std::filesystem::exists(address_file); }))
      << "eskit-broker did not write " << address_file;
  std::string address;
  std::ifstream(address_file) >> address;
  ASSERT_EQ(address.rfind("127.0.0.1:", 0), 0u) << address;

  std::set<std::int32_t> partitions;
  std::size_t failures = 0;
  {
    Producer producer(client_options(address), [&](const DeliveryReport& report) {
      if (report.ok())
        partitions.insert(report.partition);
      else
        ++failures;
    });
    for (int i = 0; i < 20; ++i)
      producer.produce({"trips", "trip-" + std::to_string(i), "started", {}, 0});
    ASSERT_TRUE(producer.flush(Clock::now() + 10s));
  }
  EXPECT_EQ(failures, 0u);
  EXPECT_EQ(partitions, (std::set<std::int32_t>{0, 1})) << "--topic trips:2 makes two partitions";

  {
    Consumer consumer(consumer_options(address, "trip-history"));
    consumer.subscribe({"trips"});
    auto received = receive(consumer, 20, Clock::now() + 20s, /*commit=*/true);
    EXPECT_EQ(received.size(), 20u);
  }

  broker.signal(SIGTERM);
  auto status = broker.wait(Clock::now() + 10s);
  ASSERT_TRUE(status.has_value()) << "eskit-broker ignored SIGTERM";
  EXPECT_EQ(*status, 0);
  EXPECT_FALSE(std::filesystem::exists(address_file)) << "a stale address file was left behind";
  std::filesystem::remove_all(directory);
}

TEST(EskitBrokerTool, Sigusr1TakesTheBrokersDownAndSigusr2BringsThemBack) {
  const auto directory = std::filesystem::temp_directory_path() /
                         ("eskit-broker-outage-test-" + std::to_string(::getpid()));
  std::filesystem::create_directories(directory);
  const auto address_file = directory / "bootstrap";
  const auto output_file = directory / "output";
  std::filesystem::remove(address_file);
  auto output = [&] {
    std::ifstream in(output_file);
    return std::string(std::istreambuf_iterator<char>(in), {});
  };

  ChildProcess broker(
      {ESKIT_BROKER_PATH, "--address-file", address_file.string(), "--topic", "rides:1"}, {},
      output_file.string());
  ASSERT_TRUE(wait_until(Clock::now() + 10s, [&] { return std::filesystem::exists(address_file); }))
      << "eskit-broker did not write " << address_file;
  std::string address;
  std::ifstream(address_file) >> address;

  std::atomic<int> delivered{0};
  Producer producer(client_options(address), [&](const DeliveryReport& report) {
    if (report.ok()) ++delivered;
  });
  producer.produce({"rides", "ride-1", "requested", {}, 1});
  ASSERT_TRUE(producer.flush(Clock::now() + 10s));

  broker.signal(SIGUSR1);
  ASSERT_TRUE(wait_until(Clock::now() + 10s,
                         [&] { return output().find("brokers down") != std::string::npos; }))
      << "no line for SIGUSR1 in:\n"
      << output();
  producer.produce({"rides", "ride-1", "accepted", {}, 2});
  EXPECT_FALSE(producer.flush(Clock::now() + 1s)) << "delivered while the brokers were down";

  broker.signal(SIGUSR2);
  ASSERT_TRUE(wait_until(Clock::now() + 10s,
                         [&] { return output().find("brokers up") != std::string::npos; }))
      << "no line for SIGUSR2 in:\n"
      << output();
  ASSERT_TRUE(producer.flush(Clock::now() + 30s)) << "the message sent while down was lost";
  EXPECT_EQ(delivered, 2);

  broker.signal(SIGTERM);
  auto status = broker.wait(Clock::now() + 10s);
  ASSERT_TRUE(status.has_value()) << "eskit-broker ignored SIGTERM after an outage";
  EXPECT_EQ(*status, 0);
  std::filesystem::remove_all(directory);
}

TEST(EskitBrokerTool, RejectsAMalformedTopic) {
  auto result = run_process({ESKIT_BROKER_PATH, "--topic", "trips:zero"}, "", Clock::now() + 10s);
  EXPECT_EQ(result.exit_status, 2) << result.err;
  EXPECT_NE(result.err.find("name:partitions"), std::string::npos) << result.err;
}

}  // namespace
}  // namespace eskit::runtime::kafka
