#include "events.hpp"

#include <boost/json/parse.hpp>

#include "eskit/runtime/kafka/consumer.hpp"
#include "eskit/runtime/messaging/envelope.hpp"

namespace eskit::run {
namespace kafka = runtime::kafka;
using namespace std::chrono_literals;

EventLog::EventLog(const std::string& bootstrap_servers, const std::vector<std::string>& contexts,
                   const std::string& group_id) {
  for (const auto& context : contexts) {
    const std::string topic = context + ".events";
    topics_.insert(topic);
    context_of_topic_[topic] = context;
  }
  kafka::ConsumerOptions options;
  options.client.bootstrap_servers = bootstrap_servers;
  options.client.client_id = "eskit-scenario";
  // A topic a context creates only when it first publishes is found within a second or two
  // rather than at librdkafka's five-minute metadata refresh.
  options.client.properties["topic.metadata.refresh.interval.ms"] = "1000";
  // lag() asks for each partition's end on the connection a fetch waits on; at librdkafka's
  // 500 ms fetch wait, reading the ends of 8 partitions took 4 s.
  options.client.properties["fetch.wait.max.ms"] = "20";
  options.group_id = group_id;
  options.session_timeout = 6000ms;
  options.heartbeat_interval = 1000ms;
  options.on_assigned = [this](const std::vector<kafka::TopicPartition>& partitions) {
    std::lock_guard lock(mutex_);
    assigned_.insert(partitions.begin(), partitions.end());
    changed_.notify_all();
  };
  options.on_revoked = [this](const std::vector<kafka::TopicPartition>& partitions) {
    std::lock_guard lock(mutex_);
    for (const auto& p : partitions) assigned_.erase(p);
  };
  options.on_error = [this](const kafka::KafkaError& error) {
    std::lock_guard lock(mutex_);
    last_error_ = error.what();
  };
  consumer_ = std::make_unique<kafka::Consumer>(std::move(options));
  consumer_->subscribe({topics_.begin(), topics_.end()});
  poller_ = std::thread([this] { poll_loop(); });
}

EventLog::~EventLog() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  poller_.join();
  consumer_->close();
}

void EventLog::poll_loop() {
  for (;;) {
    {
      std::lock_guard lock(mutex_);
      if (stopping_) return;
    }
    std::optional<kafka::ConsumedMessage> message;
    try {
      message = consumer_->poll(100ms);
    } catch (const kafka::KafkaError& error) {
      std::lock_guard lock(mutex_);
      last_error_ = error.what();
      continue;
    }
    if (!message) continue;
    SeenEvent seen;
    bool decoded = true;
    try {
      const auto envelope = runtime::messaging::decode(message->payload(), message->headers());
      seen.type = envelope.event_type;
      seen.id = envelope.event_id;
      seen.data = boost::json::parse(envelope.payload);
    } catch (const std::exception&) {
      // Not an eskit event (a tool wrote to the topic): nothing a step could match.
      decoded = false;
    }
    const std::string topic(message->topic());
    std::lock_guard lock(mutex_);
    next_offset_[{topic, message->partition()}] = message->offset() + 1;
    if (decoded) {
      seen.context = context_of_topic_[topic];
      events_.push_back(std::move(seen));
    }
    changed_.notify_all();
  }
}

std::vector<SeenEvent> EventLog::wait_after(std::size_t from, Clock::time_point deadline) const {
  std::unique_lock lock(mutex_);
  changed_.wait_until(lock, deadline, [&] { return events_.size() > from; });
  if (events_.size() <= from) return {};
  return {events_.begin() + static_cast<std::ptrdiff_t>(from), events_.end()};
}

std::vector<SeenEvent> EventLog::all() const {
  std::lock_guard lock(mutex_);
  return events_;
}

bool EventLog::wait_assigned(Clock::time_point deadline, std::string& why) const {
  std::unique_lock lock(mutex_);
  const bool assigned = changed_.wait_until(lock, deadline, [&] {
    std::set<std::string> owned;
    for (const auto& p : assigned_) owned.insert(p.topic);
    return owned == topics_;
  });
  if (!assigned) {
    why = "the broker did not let the event reader join in time" +
          (last_error_.empty() ? std::string() : " (" + last_error_ + ")");
  }
  return assigned;
}

bool EventLog::catch_up(Clock::time_point deadline, std::string& why) {
  if (!wait_assigned(deadline, why)) return false;
  std::vector<kafka::PartitionLag> ends;
  for (;;) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left <= 0ms) {
      why = "the broker did not say where its topics end in time";
      return false;
    }
    try {
      ends = consumer_->lag(std::min<std::chrono::milliseconds>(left, 2000ms),
                            kafka::Consumer::Ends::from_broker);
      break;
    } catch (const kafka::KafkaError& error) {
      why = error.what();
      std::unique_lock lock(mutex_);
      changed_.wait_for(lock, 100ms, [&] { return stopping_; });
    }
  }
  std::unique_lock lock(mutex_);
  const bool done = changed_.wait_until(lock, deadline, [&] {
    for (const auto& end : ends) {
      // Nothing committed: lag is what the partition holds, so zero means it is empty.
      if (end.lag == 0) continue;
      auto it = next_offset_.find({end.topic, end.partition});
      if (it == next_offset_.end() || it->second < end.high_watermark) return false;
    }
    return true;
  });
  if (!done) why = "the event reader did not read every topic to its end in time";
  return done;
}

}  // namespace eskit::run
