#pragma once
// A Kafka-protocol broker inside the process, for local runs and tests: librdkafka's mock
// cluster, listening on 127.0.0.1 with ephemeral ports. Real clients (other processes, kcat)
// speak real Kafka to it. It keeps everything in memory and forgets it when destroyed.
//
// Topics are created automatically with 4 partitions (the mock cluster's default) the first
// time any client asks for them — a producer, a consumer's subscription, even a metadata
// query; unlike a real cluster, the mock ignores a consumer's allow.auto.create.topics=false.
// Create topics explicitly (options.topics, create_topic()) before clients use them whenever
// the partition count matters.

#include <memory>
#include <string>
#include <vector>

namespace eskit::runtime::kafka {

struct TopicSpec {
  std::string name;
  int partitions = 1;
};

struct EmbeddedBrokerOptions {
  int brokers = 1;
  std::vector<TopicSpec> topics;
};

class EmbeddedBroker {
 public:
  // Throws KafkaError when the cluster cannot be created.
  explicit EmbeddedBroker(EmbeddedBrokerOptions options = {});
  ~EmbeddedBroker();
  EmbeddedBroker(const EmbeddedBroker&) = delete;
  EmbeddedBroker& operator=(const EmbeddedBroker&) = delete;

  // "127.0.0.1:port[,127.0.0.1:port...]" — one entry per broker.
  const std::string& bootstrap_servers() const;

  // Throws KafkaError when the topic cannot be created (e.g. partitions < 1).
  void create_topic(const TopicSpec& topic);

  // An outage of the whole cluster: every broker drops its connections and refuses new ones,
  // so clients see it unreachable. What the brokers hold (messages, committed
  // offsets) is kept, as a real cluster's disks would keep it. Throws KafkaError.
  void set_down();
  // Ends the outage: clients reconnect on their own and carry on (an idempotent producer's
  // retries deliver what it queued meanwhile). Throws KafkaError.
  void set_up();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace eskit::runtime::kafka
