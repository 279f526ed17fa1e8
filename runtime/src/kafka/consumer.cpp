#include "eskit/runtime/kafka/consumer.hpp"

#include <algorithm>
#include <array>
#include <cstring>
#include <tuple>

#include "kafka/consumed_message_impl.hpp"
#include "kafka/rdkafka_handle.hpp"

namespace eskit::runtime::kafka {
namespace {

const std::map<std::string, std::string> consumer_defaults = {
    // Offsets move only when the service says its transaction committed (see consumer.hpp).
    {"enable.auto.commit", "false"},
    {"enable.auto.offset.store", "false"},
    // A new group reads the topic's whole history: a context deployed after events were
    // published must still see them.
    {"auto.offset.reset", "earliest"},
    // Eager, one-round rebalancing; see consumer.hpp for why not cooperative-sticky.
    {"partition.assignment.strategy", "roundrobin"},
};

std::vector<TopicPartition> to_vector(const rd_kafka_topic_partition_list_t* list) {
  std::vector<TopicPartition> result;
  if (list == nullptr) return result;
  result.reserve(static_cast<std::size_t>(list->cnt));
  for (int i = 0; i < list->cnt; ++i)
    result.push_back(TopicPartition{list->elems[i].topic, list->elems[i].partition});
  return result;
}

}  // namespace

struct Consumer::Impl {
  ConsumerOptions options;
  rd_kafka_t* handle = nullptr;
  bool closed = false;

  static void on_rebalance(rd_kafka_t* handle, rd_kafka_resp_err_t reason,
                           rd_kafka_topic_partition_list_t* partitions, void* opaque) {
    auto* self = static_cast<Impl*>(opaque);
    const bool cooperative = std::strcmp(rd_kafka_rebalance_protocol(handle), "COOPERATIVE") == 0;
    if (reason == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS) {
      if (cooperative) {
        if (rd_kafka_error_t* error = rd_kafka_incremental_assign(handle, partitions))
          rd_kafka_error_destroy(error);
      } else {
        rd_kafka_assign(handle, partitions);
      }
      if (self->options.on_assigned) self->options.on_assigned(to_vector(partitions));
    } else {
      // Revoked (or lost): tell the service first, while it still owns the partitions.
      if (self->options.on_revoked) self->options.on_revoked(to_vector(partitions));
      if (cooperative) {
        if (rd_kafka_error_t* error = rd_kafka_incremental_unassign(handle, partitions))
          rd_kafka_error_destroy(error);
      } else {
        rd_kafka_assign(handle, nullptr);
      }
    }
  }

  static void on_client_error(rd_kafka_t* handle, int code, const char* reason, void* opaque) {
    auto* self = static_cast<Impl*>(opaque);
    if (code == RD_KAFKA_RESP_ERR__FATAL) return;  // poll() throws the underlying fatal error
    (void)handle;
    if (self->options.on_error) self->options.on_error(KafkaError(code, reason));
  }
};

Consumer::Consumer(ConsumerOptions options) : impl_(std::make_unique<Impl>()) {
  if (options.group_id.empty())
    throw KafkaError(static_cast<int>(RD_KAFKA_RESP_ERR__INVALID_ARG),
                     "Kafka consumer needs a group id");
  impl_->options = std::move(options);
  auto conf = detail::make_conf(impl_->options.client, consumer_defaults);
  detail::set_property(conf.get(), "group.id", impl_->options.group_id);
  // An explicit entry in client.properties (the escape hatch) wins over the typed fields.
  const auto& explicit_properties = impl_->options.client.properties;
  if (!explicit_properties.contains("session.timeout.ms"))
    detail::set_property(conf.get(), "session.timeout.ms",
                         std::to_string(impl_->options.session_timeout.count()));
  if (!explicit_properties.contains("heartbeat.interval.ms"))
    detail::set_property(conf.get(), "heartbeat.interval.ms",
                         std::to_string(impl_->options.heartbeat_interval.count()));
  rd_kafka_conf_set_rebalance_cb(conf.get(), &Impl::on_rebalance);
  rd_kafka_conf_set_error_cb(conf.get(), &Impl::on_client_error);
  rd_kafka_conf_set_opaque(conf.get(), impl_.get());
  std::array<char, 512> reason{};
  impl_->handle = rd_kafka_new(RD_KAFKA_CONSUMER, conf.get(), reason.data(), reason.size());
  if (impl_->handle == nullptr)
    throw KafkaError(static_cast<int>(RD_KAFKA_RESP_ERR__INVALID_ARG),
                     std::string("creating Kafka consumer: ") + reason.data());
  conf.release();  // rd_kafka_new took ownership
  // One queue for everything (messages, rebalances, errors), served by poll().
  rd_kafka_poll_set_consumer(impl_->handle);
}

Consumer::~Consumer() {
  close();
  rd_kafka_destroy(impl_->handle);
}

void Consumer::subscribe(const std::vector<std::string>& topics) {
  detail::TopicPartitionListPtr list(
      rd_kafka_topic_partition_list_new(static_cast<int>(topics.size())));
  for (const auto& topic : topics)
    rd_kafka_topic_partition_list_add(list.get(), topic.c_str(), RD_KAFKA_PARTITION_UA);
  if (auto code = rd_kafka_subscribe(impl_->handle, list.get()))
    throw detail::make_error(code, "subscribing to Kafka topics");
}

std::optional<ConsumedMessage> Consumer::poll(std::chrono::milliseconds timeout) {
  rd_kafka_message_t* message =
      rd_kafka_consumer_poll(impl_->handle, static_cast<int>(timeout.count()));
  if (message == nullptr) return std::nullopt;
  // Destroyed here, whatever happens below: a message kept alive would block close().
  std::unique_ptr<rd_kafka_message_t, decltype(&rd_kafka_message_destroy)> held(
      message, &rd_kafka_message_destroy);
  if (message->err == RD_KAFKA_RESP_ERR_NO_ERROR)
    return ConsumedMessage(std::make_unique<ConsumedMessage::Impl>(message));

  const auto code = message->err;
  std::string reason = rd_kafka_message_errstr(message);
  if (code == RD_KAFKA_RESP_ERR__FATAL) {
    std::array<char, 512> fatal{};
    const auto cause = rd_kafka_fatal_error(impl_->handle, fatal.data(), fatal.size());
    throw KafkaError(static_cast<int>(cause),
                     std::string("Kafka consumer failed fatally: ") + fatal.data());
  }
  if (impl_->options.on_error) impl_->options.on_error(KafkaError(static_cast<int>(code), reason));
  return std::nullopt;
}

void Consumer::commit(const ConsumedMessage& message) {
  detail::TopicPartitionListPtr list(rd_kafka_topic_partition_list_new(1));
  const auto& held = *message.impl_;
  // A committed offset names the next message to read, hence + 1.
  rd_kafka_topic_partition_list_add(list.get(), held.topic.c_str(), held.partition)->offset =
      held.offset + 1;
  if (auto code = rd_kafka_commit(impl_->handle, list.get(), /*async=*/0))
    throw detail::make_error(code, "committing Kafka offset");
  if (auto code = list->elems[0].err) throw detail::make_error(code, "committing Kafka offset");
}

void Consumer::hold(const ConsumedMessage& message) {
  const auto& held = *message.impl_;
  detail::TopicPartitionListPtr list(rd_kafka_topic_partition_list_new(1));
  rd_kafka_topic_partition_list_add(list.get(), held.topic.c_str(), held.partition)->offset =
      held.offset;
  // Paused first, so no fetch slips in between; the seek then purges what was prefetched and
  // waits until the fetcher took the new position, so no later message reaches poll().
  if (auto code = rd_kafka_pause_partitions(impl_->handle, list.get()))
    throw detail::make_error(code, "pausing a Kafka partition");
  if (rd_kafka_error_t* error = rd_kafka_seek_partitions(impl_->handle, list.get(), 5000)) {
    const auto code = rd_kafka_error_code(error);
    const std::string reason = rd_kafka_error_string(error);
    rd_kafka_error_destroy(error);
    throw KafkaError(static_cast<int>(code), "rewinding a Kafka partition: " + reason);
  }
  if (auto code = list->elems[0].err) throw detail::make_error(code, "rewinding a Kafka partition");
}

void Consumer::resume(const TopicPartition& partition) {
  detail::TopicPartitionListPtr list(rd_kafka_topic_partition_list_new(1));
  rd_kafka_topic_partition_list_add(list.get(), partition.topic.c_str(), partition.partition);
  if (auto code = rd_kafka_resume_partitions(impl_->handle, list.get()))
    throw detail::make_error(code, "resuming a Kafka partition");
}

std::vector<TopicPartition> Consumer::assignment() const {
  rd_kafka_topic_partition_list_t* raw = nullptr;
  if (auto code = rd_kafka_assignment(impl_->handle, &raw))
    throw detail::make_error(code, "reading Kafka assignment");
  detail::TopicPartitionListPtr list(raw);
  auto result = to_vector(list.get());
  std::sort(result.begin(), result.end());
  return result;
}

std::vector<PartitionLag> Consumer::lag(std::chrono::milliseconds timeout, Ends ends) const {
  rd_kafka_topic_partition_list_t* raw = nullptr;
  if (auto code = rd_kafka_assignment(impl_->handle, &raw))
    throw detail::make_error(code, "reading Kafka assignment");
  detail::TopicPartitionListPtr assigned(raw);
  const int timeout_ms = static_cast<int>(timeout.count());
  if (auto code = rd_kafka_committed(impl_->handle, assigned.get(), timeout_ms))
    throw detail::make_error(code, "reading committed Kafka offsets");

  std::vector<PartitionLag> result;
  for (int i = 0; i < assigned->cnt; ++i) {
    const auto& partition = assigned->elems[i];
    int64_t low = -1;
    int64_t high = -1;
    // Every fetch response carries the partition's watermarks and librdkafka keeps them; a
    // partition not fetched yet has none (-1) and is asked.
    if (ends == Ends::last_fetched)
      rd_kafka_get_watermark_offsets(impl_->handle, partition.topic, partition.partition, &low,
                                     &high);
    if (low < 0 || high < 0) {
      if (auto code = rd_kafka_query_watermark_offsets(
              impl_->handle, partition.topic, partition.partition, &low, &high, timeout_ms))
        throw detail::make_error(code, std::string("reading watermarks of ") + partition.topic);
    }
    PartitionLag entry{partition.topic, partition.partition, -1, high, 0};
    if (partition.offset >= 0) entry.committed_offset = partition.offset;
    entry.lag = high - std::max(entry.committed_offset >= 0 ? entry.committed_offset : low, low);
    result.push_back(std::move(entry));
  }
  std::sort(result.begin(), result.end(), [](const PartitionLag& a, const PartitionLag& b) {
    return std::tie(a.topic, a.partition) < std::tie(b.topic, b.partition);
  });
  return result;
}

void Consumer::close() {
  if (impl_->closed) return;
  impl_->closed = true;
  // Leaves the group; the final revocation runs through on_rebalance on this thread.
  rd_kafka_consumer_close(impl_->handle);
}

}  // namespace eskit::runtime::kafka
