#include "eskit/runtime/kafka/client_options.hpp"

#include <string_view>

namespace eskit::runtime::kafka {
namespace {

// librdkafka's consumer-only properties (scope "C" in its CONFIGURATION.md). A producer given
// one logs a CONFWARN at every start, which operators learn to ignore along with real ones.
constexpr std::string_view consumer_only[] = {
    "auto.commit.enable",
    "auto.commit.interval.ms",
    "auto.offset.reset",
    "check.crcs",
    "consume.callback.max.messages",
    "coordinator.query.interval.ms",
    "enable.auto.commit",
    "enable.auto.offset.store",
    "enable.partition.eof",
    "fetch.error.backoff.ms",
    "fetch.max.bytes",
    "fetch.message.max.bytes",
    "fetch.min.bytes",
    "fetch.wait.max.ms",
    "group.id",
    "group.instance.id",
    "group.protocol.type",
    "heartbeat.interval.ms",
    "isolation.level",
    "max.partition.fetch.bytes",
    "max.poll.interval.ms",
    "offset.store.method",
    "partition.assignment.strategy",
    "queued.max.messages.kbytes",
    "queued.min.messages",
    "session.timeout.ms",
    "offset.store.sync.interval.ms",
};

}  // namespace

ClientOptions ClientOptions::for_producer() const {
  ClientOptions producer = *this;
  for (const auto name : consumer_only) producer.properties.erase(std::string(name));
  return producer;
}

}  // namespace eskit::runtime::kafka
