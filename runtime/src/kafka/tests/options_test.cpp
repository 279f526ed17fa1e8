// Configuration errors are reported at construction, with the offending property named.

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <string>

#include "eskit/runtime/kafka/consumer.hpp"
#include "eskit/runtime/kafka/embedded_broker.hpp"
#include "eskit/runtime/kafka/producer.hpp"
#include "test_support.hpp"

namespace eskit::runtime::kafka {
namespace {

TEST(KafkaOptions, UnknownPropertyIsRejectedByName) {
  auto options = testing::client_options("127.0.0.1:1");
  options.properties["no.such.property"] = "1";
  try {
    Producer producer(options, nullptr);
    FAIL() << "expected KafkaError";
  } catch (const KafkaError& error) {
    EXPECT_NE(std::string(error.what()).find("no.such.property"), std::string::npos)
        << error.what();
  }
}

TEST(KafkaOptions, ConsumerNeedsGroupId) {
  ConsumerOptions options;
  options.client = testing::client_options("127.0.0.1:1");
  EXPECT_THROW(Consumer consumer(options), KafkaError);
}

TEST(KafkaOptions, ProducerOptionsOfAConsumerLeaveOutConsumerOnlyProperties) {
  auto options = testing::client_options("127.0.0.1:1");
  options.properties = {{"session.timeout.ms", "6000"},
                        {"group.instance.id", "replica-1"},
                        {"max.poll.interval.ms", "12000"},
                        {"security.protocol", "plaintext"},
                        {"message.max.bytes", "2000000"}};
  const auto producer = options.for_producer();
  EXPECT_EQ(producer.bootstrap_servers, options.bootstrap_servers);
  EXPECT_EQ(producer.client_id, options.client_id);
  const std::map<std::string, std::string> expected{{"security.protocol", "plaintext"},
                                                    {"message.max.bytes", "2000000"}};
  EXPECT_EQ(producer.properties, expected);
  EXPECT_NO_THROW(Producer(producer, nullptr));
}

TEST(EmbeddedBroker, ListsOneLoopbackAddressPerBroker) {
  EmbeddedBroker broker(EmbeddedBrokerOptions{3, {{"orders", 2}}});
  const auto& servers = broker.bootstrap_servers();
  EXPECT_EQ(std::count(servers.begin(), servers.end(), ','), 2) << servers;
  EXPECT_EQ(servers.rfind("127.0.0.1:", 0), 0u) << servers;
  EXPECT_THROW(broker.create_topic({"empty", 0}), KafkaError);
}

}  // namespace
}  // namespace eskit::runtime::kafka
