#include "kafka/rdkafka_handle.hpp"

#include <array>

namespace eskit::runtime::kafka::detail {

KafkaError make_error(rd_kafka_resp_err_t code, std::string_view context) {
  std::string message(context);
  message += ": ";
  message += rd_kafka_err2str(code);
  message += " (";
  message += rd_kafka_err2name(code);
  message += ')';
  return KafkaError(static_cast<int>(code), message);
}

void set_property(rd_kafka_conf_t* conf, const std::string& name, const std::string& value) {
  std::array<char, 512> reason{};
  if (rd_kafka_conf_set(conf, name.c_str(), value.c_str(), reason.data(), reason.size()) !=
      RD_KAFKA_CONF_OK) {
    throw KafkaError(static_cast<int>(RD_KAFKA_RESP_ERR__INVALID_ARG),
                     "Kafka property " + name + "=" + value + ": " + reason.data());
  }
}

ConfPtr make_conf(const ClientOptions& options,
                  const std::map<std::string, std::string>& defaults) {
  ConfPtr conf(rd_kafka_conf_new());
  for (const auto& [name, value] : defaults) set_property(conf.get(), name, value);
  if (!options.bootstrap_servers.empty())
    set_property(conf.get(), "bootstrap.servers", options.bootstrap_servers);
  if (!options.client_id.empty()) set_property(conf.get(), "client.id", options.client_id);
  for (const auto& [name, value] : options.properties) set_property(conf.get(), name, value);
  return conf;
}

}  // namespace eskit::runtime::kafka::detail
