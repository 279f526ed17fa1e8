// Events go through the embedded broker with their keys and headers, and each aggregate's
// events arrive in the order they were produced, even spread over several partitions.

#include <gtest/gtest.h>

#include <map>
#include <mutex>
#include <set>

#include "eskit/runtime/kafka/consumer.hpp"
#include "eskit/runtime/kafka/producer.hpp"
#include "test_support.hpp"

namespace eskit::runtime::kafka {
namespace {

using namespace testing;

TEST(KafkaRoundTrip, KeysHeadersAndPerKeyOrderSurvive) {
  auto& broker = shared_broker();
  const auto topic = unique_name("orders");
  broker.create_topic({topic, 3});

  std::mutex mutex;
  std::vector<DeliveryReport> reports;
  Producer producer(client_options(broker.bootstrap_servers()), [&](const DeliveryReport& report) {
    std::lock_guard lock(mutex);
    reports.push_back(report);
  });

  const std::vector<std::string> aggregates = {"order-1", "order-2", "order-3",
                                               "order-4", "order-5", "order-6"};
  constexpr int events_per_aggregate = 5;
  std::uint64_t correlation = 0;
  for (int sequence = 0; sequence < events_per_aggregate; ++sequence) {
    for (const auto& aggregate : aggregates) {
      producer.produce({topic,
                        aggregate,
                        R"({"seq":)" + std::to_string(sequence) + "}",
                        {{"event_type", "OrderPlaced"}, {"sequence", std::to_string(sequence)}},
                        ++correlation});
    }
  }
  ASSERT_TRUE(producer.flush(Clock::now() + 10s));
  ASSERT_EQ(producer.in_flight(), 0u);

  {
    std::lock_guard lock(mutex);
    ASSERT_EQ(reports.size(), aggregates.size() * events_per_aggregate);
    std::set<std::uint64_t> correlations;
    std::map<std::string, std::set<std::int32_t>> partitions_of_key;
    for (const auto& report : reports) {
      EXPECT_TRUE(report.ok()) << report.error;
      EXPECT_EQ(report.persistence, Persistence::persisted);
      EXPECT_EQ(report.topic, topic);
      EXPECT_GE(report.offset, 0);
      correlations.insert(report.correlation_id);
      partitions_of_key[report.key].insert(report.partition);
    }
    EXPECT_EQ(correlations.size(), reports.size()) << "each report names its own message";
    std::set<std::int32_t> used;
    for (const auto& [key, partitions] : partitions_of_key) {
      EXPECT_EQ(partitions.size(), 1u) << key << " must stay on one partition";
      used.insert(*partitions.begin());
    }
    EXPECT_GT(used.size(), 1u) << "the keys should spread over partitions";
  }

  Consumer consumer(consumer_options(broker.bootstrap_servers(), unique_name("round-trip")));
  consumer.subscribe({topic});
  auto received = receive(consumer, aggregates.size() * events_per_aggregate, Clock::now() + 20s,
                          /*commit=*/true);
  ASSERT_EQ(received.size(), aggregates.size() * events_per_aggregate);

  std::map<std::string, std::vector<int>> sequences;
  for (const auto& message : received) {
    EXPECT_EQ(message.topic(), topic);
    EXPECT_EQ(message.header("event_type"), "OrderPlaced");
    ASSERT_EQ(message.headers().size(), 2u);
    EXPECT_EQ(message.headers()[0].name, "event_type");
    EXPECT_EQ(message.headers()[1].name, "sequence");
    const std::string sequence(message.header("sequence").value_or("?"));
    EXPECT_EQ(message.payload(), R"({"seq":)" + sequence + "}");
    EXPECT_GT(message.timestamp_ms(), 0);
    sequences[std::string(message.key())].push_back(std::stoi(sequence));
  }
  ASSERT_EQ(sequences.size(), aggregates.size());
  for (const auto& [key, order] : sequences)
    EXPECT_EQ(order, (std::vector<int>{0, 1, 2, 3, 4})) << "events of " << key << " out of order";

  // Everything was committed: no lag left on any assigned partition.
  auto lags = consumer.lag(5s);
  ASSERT_EQ(lags.size(), 3u);
  for (const auto& lag : lags) EXPECT_EQ(lag.lag, 0) << lag.topic << "/" << lag.partition;
  consumer.close();
}

}  // namespace
}  // namespace eskit::runtime::kafka
