#include "eskit/runtime/kafka/embedded_broker.hpp"

#include <librdkafka/rdkafka.h>
// rdkafka_mock.h must follow rdkafka.h. It is librdkafka's experimental API (no ABI promise),
// which is why only this file touches it.
#include <librdkafka/rdkafka_mock.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <string>

#include "kafka/rdkafka_handle.hpp"

namespace eskit::runtime::kafka {

struct EmbeddedBroker::Impl {
  // The mock cluster needs a host client for bookkeeping that must outlive it. The host never
  // connects anywhere; the cluster runs its own thread, so nobody needs to poll the host.
  rd_kafka_t* host = nullptr;
  rd_kafka_mock_cluster_t* cluster = nullptr;
  int brokers = 1;
  std::string bootstrap_servers;
};

EmbeddedBroker::EmbeddedBroker(EmbeddedBrokerOptions options) : impl_(std::make_unique<Impl>()) {
  if (options.brokers < 1)
    throw KafkaError(static_cast<int>(RD_KAFKA_RESP_ERR__INVALID_ARG),
                     "embedded broker needs at least one broker");
  impl_->brokers = options.brokers;
  detail::ConfPtr conf(rd_kafka_conf_new());
  // Silence the host's "no bootstrap.servers configured" notice: it never connects anywhere.
  detail::set_property(conf.get(), "log_level", "3");
  std::array<char, 512> reason{};
  impl_->host = rd_kafka_new(RD_KAFKA_PRODUCER, conf.get(), reason.data(), reason.size());
  if (impl_->host == nullptr)
    throw KafkaError(static_cast<int>(RD_KAFKA_RESP_ERR__FAIL),
                     std::string("creating embedded broker: ") + reason.data());
  conf.release();  // rd_kafka_new took ownership
  // Each mock broker listens on 127.0.0.1 with an ephemeral port: loopback only, and no port
  // clashes between tests or services running side by side.
  impl_->cluster = rd_kafka_mock_cluster_new(impl_->host, options.brokers);
  if (impl_->cluster == nullptr) {
    rd_kafka_destroy(impl_->host);
    throw KafkaError(static_cast<int>(RD_KAFKA_RESP_ERR__FAIL),
                     "creating embedded broker: mock cluster could not start");
  }
  impl_->bootstrap_servers = rd_kafka_mock_cluster_bootstraps(impl_->cluster);
  try {
    for (const auto& topic : options.topics) create_topic(topic);
  } catch (...) {
    rd_kafka_mock_cluster_destroy(impl_->cluster);
    rd_kafka_destroy(impl_->host);
    throw;
  }
}

EmbeddedBroker::~EmbeddedBroker() {
  rd_kafka_mock_cluster_destroy(impl_->cluster);
  rd_kafka_destroy(impl_->host);
}

const std::string& EmbeddedBroker::bootstrap_servers() const { return impl_->bootstrap_servers; }

void EmbeddedBroker::create_topic(const TopicSpec& topic) {
  if (topic.name.empty() || topic.partitions < 1)
    throw KafkaError(static_cast<int>(RD_KAFKA_RESP_ERR__INVALID_ARG),
                     "embedded broker topic needs a name and at least one partition");
  // Replicate like a small real cluster would, but never beyond the brokers there are.
  const int replication = std::min(impl_->brokers, 3);
  if (auto code = rd_kafka_mock_topic_create(impl_->cluster, topic.name.c_str(), topic.partitions,
                                             replication))
    throw detail::make_error(code, "creating topic " + topic.name);
}

void EmbeddedBroker::set_down() {
  // The mock cluster numbers its brokers from 1.
  for (std::int32_t id = 1; id <= impl_->brokers; ++id)
    if (auto code = rd_kafka_mock_broker_set_down(impl_->cluster, id))
      throw detail::make_error(code, "taking broker " + std::to_string(id) + " down");
}

void EmbeddedBroker::set_up() {
  for (std::int32_t id = 1; id <= impl_->brokers; ++id)
    if (auto code = rd_kafka_mock_broker_set_up(impl_->cluster, id))
      throw detail::make_error(code, "bringing broker " + std::to_string(id) + " up");
}

}  // namespace eskit::runtime::kafka
