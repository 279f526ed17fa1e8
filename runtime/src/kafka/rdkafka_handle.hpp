#pragma once
// Private glue to librdkafka shared by the producer, consumer and embedded broker: owning
// handles, configuration from ClientOptions, and errors as KafkaError.

#include <librdkafka/rdkafka.h>

#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "eskit/runtime/kafka/client_options.hpp"
#include "eskit/runtime/kafka/kafka_error.hpp"

namespace eskit::runtime::kafka::detail {

struct ConfDeleter {
  void operator()(rd_kafka_conf_t* conf) const noexcept { rd_kafka_conf_destroy(conf); }
};
using ConfPtr = std::unique_ptr<rd_kafka_conf_t, ConfDeleter>;

struct TopicPartitionListDeleter {
  void operator()(rd_kafka_topic_partition_list_t* list) const noexcept {
    rd_kafka_topic_partition_list_destroy(list);
  }
};
using TopicPartitionListPtr =
    std::unique_ptr<rd_kafka_topic_partition_list_t, TopicPartitionListDeleter>;

KafkaError make_error(rd_kafka_resp_err_t code, std::string_view context);

// Builds a configuration: eskit's defaults for this kind of client, then bootstrap servers
// and client id, then the caller's extra properties (which win).
ConfPtr make_conf(const ClientOptions& options, const std::map<std::string, std::string>& defaults);

void set_property(rd_kafka_conf_t* conf, const std::string& name, const std::string& value);

}  // namespace eskit::runtime::kafka::detail
