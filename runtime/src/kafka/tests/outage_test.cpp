// A broker outage (EmbeddedBroker::set_down/set_up, eskit-broker's SIGUSR1/SIGUSR2) loses
// nothing: what a producer sends meanwhile waits in its retries and is delivered once the
// brokers are back, and a consumer group picks up where it stopped.

#include <gtest/gtest.h>

#include <atomic>
#include <mutex>

#include "eskit/runtime/kafka/consumer.hpp"
#include "eskit/runtime/kafka/embedded_broker.hpp"
#include "eskit/runtime/kafka/producer.hpp"
#include "test_support.hpp"

namespace eskit::runtime::kafka {
namespace {

using namespace testing;

TEST(KafkaBrokerOutage, ProducerAndConsumerCarryOnOnceTheBrokersAreBack) {
  // Several brokers: set_down must take every one away, whichever leads the partition.
  EmbeddedBroker broker({3, {{"rides", 1}}});
  std::mutex mutex;
  std::vector<DeliveryReport> reports;
  Producer producer(client_options(broker.bootstrap_servers()), [&](const DeliveryReport& report) {
    std::lock_guard lock(mutex);
    reports.push_back(report);
  });
  Consumer consumer(consumer_options(broker.bootstrap_servers(), unique_name("ride-history")));
  consumer.subscribe({"rides"});

  producer.produce({"rides", "ride-1", "requested", {}, 1});
  ASSERT_TRUE(producer.flush(Clock::now() + 10s));
  const auto before = receive(consumer, 1, Clock::now() + 30s, /*commit=*/true);
  ASSERT_EQ(before.size(), 1u);

  broker.set_down();
  producer.produce({"rides", "ride-1", "accepted", {}, 2});
  EXPECT_FALSE(producer.flush(Clock::now() + 1s)) << "delivered while every broker was down";
  broker.set_up();

  ASSERT_TRUE(producer.flush(Clock::now() + 30s)) << "the producer gave up during the outage";
  {
    std::lock_guard lock(mutex);
    ASSERT_EQ(reports.size(), 2u);
    EXPECT_TRUE(reports[1].ok()) << reports[1].error;
    EXPECT_EQ(reports[1].correlation_id, 2u);
  }
  const auto after = receive(consumer, 1, Clock::now() + 30s, /*commit=*/true);
  ASSERT_EQ(after.size(), 1u) << "the consumer did not resume";
  EXPECT_EQ(after[0].payload(), "accepted");
  EXPECT_EQ(after[0].offset(), before[0].offset() + 1) << "nothing lost, nothing repeated";
}

TEST(KafkaBrokerOutage, TakingTheBrokersDownTwiceOrUpWhileUpIsHarmless) {
  EmbeddedBroker broker;
  broker.set_up();
  broker.set_down();
  broker.set_down();
  broker.set_up();
  std::atomic<std::size_t> delivered{0};
  Producer producer(client_options(broker.bootstrap_servers()),
                    [&](const DeliveryReport& report) { delivered += report.ok() ? 1 : 0; });
  producer.produce({"rides", "ride-2", "requested", {}, 1});
  ASSERT_TRUE(producer.flush(Clock::now() + 10s));
  EXPECT_EQ(delivered.load(), 1u);
}

}  // namespace
}  // namespace eskit::runtime::kafka
