// When the broker is gone the producer does not hang: flush() gives up at its deadline and
// the message comes back as a failed delivery report once message.timeout.ms expires.

#include <gtest/gtest.h>

#include <mutex>
#include <optional>

#include "eskit/runtime/kafka/embedded_broker.hpp"
#include "eskit/runtime/kafka/producer.hpp"
#include "test_support.hpp"

namespace eskit::runtime::kafka {
namespace {

using namespace testing;

TEST(KafkaDeliveryError, BrokerGoneIsReportedNotHung) {
  auto broker = std::make_unique<EmbeddedBroker>();
  auto options = client_options(broker->bootstrap_servers());
  options.properties["message.timeout.ms"] = "1500";

  std::mutex mutex;
  std::vector<DeliveryReport> reports;
  Producer producer(options, [&](const DeliveryReport& report) {
    std::lock_guard lock(mutex);
    reports.push_back(report);
  });
  auto count = [&] {
    std::lock_guard lock(mutex);
    return reports.size();
  };

  producer.produce({"shipments", "shipment-1", "packed", {}, 1});
  ASSERT_TRUE(producer.flush(Clock::now() + 10s));
  {
    std::lock_guard lock(mutex);
    ASSERT_EQ(reports.size(), 1u);
    ASSERT_TRUE(reports[0].ok()) << reports[0].error;
  }

  broker.reset();
  producer.produce({"shipments", "shipment-1", "shipped", {}, 2});
  const auto started = Clock::now();
  EXPECT_FALSE(producer.flush(Clock::now() + 200ms)) << "nothing can be delivered";
  EXPECT_LT(Clock::now() - started, 2s) << "flush must respect its deadline";

  ASSERT_TRUE(wait_until(Clock::now() + 15s, [&] { return count() == 2; }))
      << "no delivery report for the message sent to a dead broker";
  std::lock_guard lock(mutex);
  const auto& failed = reports[1];
  EXPECT_FALSE(failed.ok());
  EXPECT_EQ(failed.correlation_id, 2u);
  EXPECT_EQ(failed.key, "shipment-1");
  EXPECT_EQ(failed.error_code, -192) << failed.error;  // RD_KAFKA_RESP_ERR__MSG_TIMED_OUT
  EXPECT_NE(failed.persistence, Persistence::persisted);
  EXPECT_FALSE(failed.error.empty());
}

// Readiness reads broker_connected(): it must turn true once the broker answers and false once
// it is gone, without the producer having to send anything.
TEST(KafkaDeliveryError, ConnectivityFollowsTheBroker) {
  auto broker = std::make_unique<EmbeddedBroker>();
  auto options = client_options(broker->bootstrap_servers());
  options.properties["statistics.interval.ms"] = "100";
  Producer producer(options, [](const DeliveryReport&) {});
  ASSERT_TRUE(wait_until(Clock::now() + 10s, [&] { return producer.broker_connected() == true; }))
      << "never reported connected";
  broker.reset();
  ASSERT_TRUE(wait_until(Clock::now() + 10s, [&] { return producer.broker_connected() == false; }))
      << "still reported connected after the broker stopped";
}

}  // namespace
}  // namespace eskit::runtime::kafka
