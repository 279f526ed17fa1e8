// Offsets move only on commit(): what a consumer did not commit comes back to the next
// member of its group, what it committed does not. Lag follows the committed offsets.

#include <gtest/gtest.h>

#include "eskit/runtime/kafka/consumer.hpp"
#include "eskit/runtime/kafka/producer.hpp"
#include "test_support.hpp"

namespace eskit::runtime::kafka {
namespace {

using namespace testing;

TEST(KafkaManualCommit, UncommittedIsRedeliveredCommittedIsNot) {
  auto& broker = shared_broker();
  const auto topic = unique_name("payments");
  const auto group = unique_name("payments-service");
  broker.create_topic({topic, 1});

  Producer producer(client_options(broker.bootstrap_servers()), nullptr);
  producer.produce({topic, "payment-1", "first", {}, 1});
  producer.produce({topic, "payment-1", "second", {}, 2});
  ASSERT_TRUE(producer.flush(Clock::now() + 10s));

  {  // Reads the first event but "crashes" before its transaction commits.
    Consumer consumer(consumer_options(broker.bootstrap_servers(), group));
    consumer.subscribe({topic});
    auto received = receive(consumer, 1, Clock::now() + 20s, /*commit=*/false);
    ASSERT_EQ(received.size(), 1u);
    EXPECT_EQ(received[0].payload(), "first");
    auto lags = consumer.lag(5s);
    ASSERT_EQ(lags.size(), 1u);
    EXPECT_EQ(lags[0].committed_offset, -1);
    EXPECT_EQ(lags[0].high_watermark, 2);
    EXPECT_EQ(lags[0].lag, 2);
  }
  {  // The restarted service gets it again, handles it, commits.
    Consumer consumer(consumer_options(broker.bootstrap_servers(), group));
    consumer.subscribe({topic});
    auto received = receive(consumer, 1, Clock::now() + 20s, /*commit=*/true);
    ASSERT_EQ(received.size(), 1u);
    EXPECT_EQ(received[0].payload(), "first");
    EXPECT_EQ(received[0].offset(), 0);
    auto lags = consumer.lag(5s);
    ASSERT_EQ(lags.size(), 1u);
    EXPECT_EQ(lags[0].committed_offset, 1);
    EXPECT_EQ(lags[0].lag, 1);
  }
  {  // The next restart continues after the committed event.
    Consumer consumer(consumer_options(broker.bootstrap_servers(), group));
    consumer.subscribe({topic});
    auto received = receive(consumer, 1, Clock::now() + 20s, /*commit=*/true);
    ASSERT_EQ(received.size(), 1u);
    EXPECT_EQ(received[0].payload(), "second");
    EXPECT_EQ(received[0].offset(), 1);
  }
}

}  // namespace
}  // namespace eskit::runtime::kafka
