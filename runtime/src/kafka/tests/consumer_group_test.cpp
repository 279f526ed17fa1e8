// Two members of one group split a topic's partitions and, between them, handle every
// event exactly once.

#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <set>
#include <thread>

#include "eskit/runtime/kafka/consumer.hpp"
#include "eskit/runtime/kafka/producer.hpp"
#include "test_support.hpp"

namespace eskit::runtime::kafka {
namespace {

using namespace testing;

// One group member polling on its own thread, as a service replica would.
class Member {
 public:
  Member(const std::string& bootstrap, const std::string& group, const std::string& topic) {
    auto options = consumer_options(bootstrap, group);
    options.on_assigned = [this](const std::vector<TopicPartition>& partitions) {
      std::lock_guard lock(mutex_);
      assigned_.insert(partitions.begin(), partitions.end());
    };
    options.on_revoked = [this](const std::vector<TopicPartition>& partitions) {
      std::lock_guard lock(mutex_);
      for (const auto& partition : partitions) assigned_.erase(partition);
    };
    consumer_ = std::make_unique<Consumer>(options);
    consumer_->subscribe({topic});
    thread_ = std::thread([this] {
      while (!stop_) {
        if (auto message = consumer_->poll(100ms)) {
          consumer_->commit(*message);
          std::lock_guard lock(mutex_);
          keys_.emplace_back(message->key());
        }
      }
    });
  }
  ~Member() { stop(); }

  void stop() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
  }
  std::set<TopicPartition> assigned() const {
    std::lock_guard lock(mutex_);
    return assigned_;
  }
  std::vector<std::string> keys() const {
    std::lock_guard lock(mutex_);
    return keys_;
  }
  Consumer& consumer() { return *consumer_; }

 private:
  mutable std::mutex mutex_;
  std::set<TopicPartition> assigned_;
  std::vector<std::string> keys_;
  std::unique_ptr<Consumer> consumer_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

TEST(KafkaConsumerGroup, MembersSharePartitionsAndSeeEachEventOnce) {
  auto& broker = shared_broker();
  const auto topic = unique_name("rides");
  const auto group = unique_name("dispatch");
  constexpr int partitions = 4;
  broker.create_topic({topic, partitions});

  Member first(broker.bootstrap_servers(), group, topic);
  Member second(broker.bootstrap_servers(), group, topic);

  // Produce only once the group is settled, so no event is in flight across a rebalance.
  ASSERT_TRUE(wait_until(Clock::now() + 25s,
                         [&] {
                           auto a = first.assigned();
                           auto b = second.assigned();
                           std::set<TopicPartition> all(a.begin(), a.end());
                           all.insert(b.begin(), b.end());
                           return !a.empty() && !b.empty() && a.size() + b.size() == partitions &&
                                  all.size() == partitions;
                         }))
      << "group did not settle: " << first.assigned().size() << " + " << second.assigned().size();

  constexpr std::size_t events = 40;
  Producer producer(client_options(broker.bootstrap_servers()), nullptr);
  for (std::size_t i = 0; i < events; ++i)
    producer.produce({topic, "ride-" + std::to_string(i), "requested", {}, i});
  ASSERT_TRUE(producer.flush(Clock::now() + 10s));

  ASSERT_TRUE(wait_until(Clock::now() + 15s,
                         [&] { return first.keys().size() + second.keys().size() >= events; }));
  first.stop();
  second.stop();

  auto a = first.keys();
  auto b = second.keys();
  EXPECT_FALSE(a.empty());
  EXPECT_FALSE(b.empty());
  std::multiset<std::string> all(a.begin(), a.end());
  all.insert(b.begin(), b.end());
  EXPECT_EQ(all.size(), events);
  EXPECT_EQ(std::set<std::string>(all.begin(), all.end()).size(), events) << "duplicates";
  // Everything is committed, so nothing more can arrive later.
  std::int64_t lag = 0;
  for (auto* member : {&first, &second})
    for (const auto& partition : member->consumer().lag(5s)) lag += partition.lag;
  EXPECT_EQ(lag, 0);
}

}  // namespace
}  // namespace eskit::runtime::kafka
