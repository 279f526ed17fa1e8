#pragma once
// Every event the system publishes, as the player sees it: a consumer of its own (a fresh
// group, so it starts at the beginning of every `<context>.events` topic and disturbs no
// service's offsets) polling on its own thread into a list the steps search.
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "eskit/runtime/kafka/topic_partition.hpp"
#include "scenario_data.hpp"

namespace eskit::runtime::kafka {
class Consumer;
}

namespace eskit::run {

struct SeenEvent {
  std::string context;  // whose topic it came from
  std::string type;
  std::string id;  // the envelope's event id: equal for a republished copy
  Json data;       // the payload's fields
};

class EventLog {
 public:
  using Clock = std::chrono::steady_clock;

  // Subscribes to `<context>.events` of every context; throws runtime::kafka::KafkaError when
  // the consumer cannot be made.
  EventLog(const std::string& bootstrap_servers, const std::vector<std::string>& contexts,
           const std::string& group_id);
  ~EventLog();
  EventLog(const EventLog&) = delete;
  EventLog& operator=(const EventLog&) = delete;

  // Events from index `from` on (in arrival order); waits until there is at least one or the
  // deadline passes.
  std::vector<SeenEvent> wait_after(std::size_t from, Clock::time_point deadline) const;
  [[nodiscard]] std::vector<SeenEvent> all() const;

  // Waits until the group gave this reader every topic's partitions (a group join takes the
  // broker a few seconds). False at the deadline, with the reason in `why`.
  bool wait_assigned(Clock::time_point deadline, std::string& why) const;

  // Waits until everything published before the call has been read: the group owns every
  // topic's partitions and has read each up to the end it had when asked. False at the
  // deadline, with the reason in `why`.
  bool catch_up(Clock::time_point deadline, std::string& why);

 private:
  void poll_loop();

  std::set<std::string> topics_;
  std::map<std::string, std::string> context_of_topic_;
  std::unique_ptr<runtime::kafka::Consumer> consumer_;
  mutable std::mutex mutex_;
  mutable std::condition_variable changed_;
  std::vector<SeenEvent> events_;
  std::set<runtime::kafka::TopicPartition> assigned_;
  std::map<runtime::kafka::TopicPartition, std::int64_t>
      next_offset_;  // one past the last message read
  std::string last_error_;
  bool stopping_ = false;
  std::thread poller_;
};

}  // namespace eskit::run
