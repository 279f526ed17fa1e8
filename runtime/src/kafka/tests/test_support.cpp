#include "test_support.hpp"

#include <atomic>
#include <thread>

namespace eskit::runtime::kafka::testing {

EmbeddedBroker& shared_broker() {
  static EmbeddedBroker broker;
  return broker;
}

std::string unique_name(const std::string& prefix) {
  static std::atomic<int> counter{0};
  return prefix + "-" + std::to_string(++counter);
}

ClientOptions client_options(const std::string& bootstrap_servers) {
  ClientOptions options;
  options.bootstrap_servers = bootstrap_servers;
  options.client_id = "eskit-kafka-tests";
  return options;
}

ConsumerOptions consumer_options(const std::string& bootstrap_servers, const std::string& group) {
  ConsumerOptions options;
  options.client = client_options(bootstrap_servers);
  options.session_timeout = 6000ms;
  options.heartbeat_interval = 500ms;
  options.group_id = group;
  return options;
}

bool wait_until(Clock::time_point deadline, const std::function<bool()>& predicate) {
  while (!predicate()) {
    if (Clock::now() >= deadline) return false;
    std::this_thread::sleep_for(10ms);
  }
  return true;
}

std::vector<ConsumedMessage> receive(Consumer& consumer, std::size_t count,
                                     Clock::time_point deadline, bool commit) {
  std::vector<ConsumedMessage> received;
  while (received.size() < count && Clock::now() < deadline) {
    if (auto message = consumer.poll(100ms)) {
      if (commit) consumer.commit(*message);
      received.push_back(std::move(*message));
    }
  }
  return received;
}

}  // namespace eskit::runtime::kafka::testing
