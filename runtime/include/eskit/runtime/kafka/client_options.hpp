#pragma once
// How a service reaches Kafka. Production and the embedded broker differ only in
// bootstrap_servers: everything else (idempotence, manual commits, group ids) is the same,
// so a service that passes its tests against `eskit broker` runs unchanged on a real cluster.

#include <map>
#include <string>

namespace eskit::runtime::kafka {

struct ClientOptions {
  // "host:port[,host:port...]" — a real cluster, or EmbeddedBroker::bootstrap_servers().
  std::string bootstrap_servers;
  // Shows up in broker logs and quotas; the service name is a good choice.
  std::string client_id = "eskit";
  // Extra librdkafka properties
  // (https://github.com/confluentinc/librdkafka/blob/master/CONFIGURATION.md). Applied after
  // eskit's defaults, so they win: e.g. security.protocol, sasl.*, message.timeout.ms.
  std::map<std::string, std::string> properties;

  // These options without librdkafka's consumer-only properties: for a producer that a
  // consumer owns (an inbox's dead-letter producer), configured from the consumer's options.
  [[nodiscard]] ClientOptions for_producer() const;
};

}  // namespace eskit::runtime::kafka
