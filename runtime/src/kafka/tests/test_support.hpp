#pragma once
// Shared pieces of the Kafka tests: one embedded broker per test process (group joins, not
// broker start-up, dominate the run time, but one broker keeps tests independent only if
// each test uses its own topic and group names — unique_name()), client settings tuned for
// fast rebalances, and waiting on conditions with deadlines instead of sleeping.

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "eskit/runtime/kafka/consumer.hpp"
#include "eskit/runtime/kafka/embedded_broker.hpp"

namespace eskit::runtime::kafka::testing {

using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

EmbeddedBroker& shared_broker();

// "prefix-<n>", unique within the process.
std::string unique_name(const std::string& prefix);

ClientOptions client_options(const std::string& bootstrap_servers);

// Consumer options for tests: short session timeout and heartbeats, so the mock cluster's
// rebalances finish in a few seconds.
ConsumerOptions consumer_options(const std::string& bootstrap_servers, const std::string& group);

// Polls until predicate() holds or the deadline passes; returns predicate().
bool wait_until(Clock::time_point deadline, const std::function<bool()>& predicate);

// Polls the consumer until `count` messages arrived or the deadline passed. Commits each
// message when commit is true.
std::vector<ConsumedMessage> receive(Consumer& consumer, std::size_t count,
                                     Clock::time_point deadline, bool commit);

}  // namespace eskit::runtime::kafka::testing
