#pragma once
// The one exception type of the Kafka module: a librdkafka error code plus a readable message.

#include <stdexcept>
#include <string>

namespace eskit::runtime::kafka {

class KafkaError : public std::runtime_error {
 public:
  // code is librdkafka's rd_kafka_resp_err_t (0 = no error; negative = client-side, e.g.
  // -192 message timed out; positive = broker error codes of the Kafka protocol).
  KafkaError(int code, const std::string& message) : std::runtime_error(message), code_(code) {}

  int code() const noexcept { return code_; }

 private:
  int code_;
};

}  // namespace eskit::runtime::kafka
