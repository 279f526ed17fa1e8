#include "eskit/runtime/kafka/producer.hpp"

#include <array>
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>
#include <vector>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include "kafka/rdkafka_handle.hpp"

namespace eskit::runtime::kafka {
namespace {

const std::map<std::string, std::string> producer_defaults = {
    // No duplicates or reordering from retries; implies acks=all and bounded in-flight requests.
    {"enable.idempotence", "true"},
    // The Java client's partitioner for keyed messages, so a C++ and a JVM service producing
    // the same aggregate id land on the same partition.
    {"partitioner", "murmur2_random"},
    // Batch briefly: the outbox relay produces in bursts, and 5 ms is invisible next to a
    // database commit.
    {"linger.ms", "5"},
    // Statistics are the only place librdkafka tells whether its broker connections are up
    // (broker_connected(), the service's readiness); every 2 s costs one small JSON parse.
    {"statistics.interval.ms", "2000"},
};

// -1 not reported yet, 0 no broker connection is up, 1 at least one is.
int connectivity_of(std::string_view statistics) {
  boost::system::error_code error;
  const auto parsed = boost::json::parse(statistics, error);
  if (error || !parsed.is_object()) return -1;
  const auto* brokers = parsed.as_object().if_contains("brokers");
  if (brokers == nullptr || !brokers->is_object()) return -1;
  for (const auto& [name, broker] : brokers->as_object()) {
    const auto* state = broker.is_object() ? broker.as_object().if_contains("state") : nullptr;
    if (state != nullptr && state->is_string() && state->as_string() == "UP") return 1;
  }
  return 0;
}

Persistence persistence_of(rd_kafka_msg_status_t status) {
  switch (status) {
    case RD_KAFKA_MSG_STATUS_PERSISTED:
      return Persistence::persisted;
    case RD_KAFKA_MSG_STATUS_POSSIBLY_PERSISTED:
      return Persistence::possibly_persisted;
    case RD_KAFKA_MSG_STATUS_NOT_PERSISTED:
      break;
  }
  return Persistence::not_persisted;
}

}  // namespace

struct Producer::Impl {
  DeliveryCallback on_delivery;
  rd_kafka_t* handle = nullptr;
  std::atomic<bool> stopping{false};
  std::mutex mutex;                  // guards nothing but the condition's wait
  std::condition_variable progress;  // notified after each poll round
  std::thread delivery_thread;
  std::atomic<int> connectivity{-1};

  static int on_statistics(rd_kafka_t*, char* json, size_t size, void* opaque) {
    static_cast<Impl*>(opaque)->connectivity = connectivity_of({json, size});
    return 0;  // librdkafka frees the text
  }

  static void on_message_delivered(rd_kafka_t*, const rd_kafka_message_t* message, void* opaque) {
    auto* self = static_cast<Impl*>(opaque);
    DeliveryReport report;
    report.topic = rd_kafka_topic_name(message->rkt);
    report.key.assign(static_cast<const char*>(message->key), message->key_len);
    report.correlation_id = reinterpret_cast<std::uintptr_t>(message->_private);
    report.persistence = persistence_of(rd_kafka_message_status(message));
    report.error_code = static_cast<int>(message->err);
    if (message->err) {
      report.error = rd_kafka_err2str(message->err);
    } else {
      report.partition = message->partition;
      report.offset = message->offset;
    }
    if (self->on_delivery) self->on_delivery(report);
  }

  // Delivery reports are served here, not in produce(): one thread, so the callback never
  // runs concurrently with itself and the caller never has to remember to poll.
  void serve_delivery_reports() {
    while (!stopping.load()) {
      rd_kafka_poll(handle, 100);
      std::lock_guard lock(mutex);
      progress.notify_all();
    }
  }
};

Producer::Producer(const ClientOptions& options, DeliveryCallback on_delivery)
    : impl_(std::make_unique<Impl>()) {
  impl_->on_delivery = std::move(on_delivery);
  auto conf = detail::make_conf(options, producer_defaults);
  rd_kafka_conf_set_dr_msg_cb(conf.get(), &Impl::on_message_delivered);
  rd_kafka_conf_set_stats_cb(conf.get(), &Impl::on_statistics);
  rd_kafka_conf_set_opaque(conf.get(), impl_.get());
  std::array<char, 512> reason{};
  impl_->handle = rd_kafka_new(RD_KAFKA_PRODUCER, conf.get(), reason.data(), reason.size());
  if (impl_->handle == nullptr)
    throw KafkaError(static_cast<int>(RD_KAFKA_RESP_ERR__INVALID_ARG),
                     std::string("creating Kafka producer: ") + reason.data());
  conf.release();  // rd_kafka_new took ownership
  impl_->delivery_thread = std::thread([impl = impl_.get()] { impl->serve_delivery_reports(); });
}

Producer::~Producer() {
  // Fail what is still queued so every message gets its report, then drain those reports.
  rd_kafka_purge(impl_->handle, RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT);
  flush(std::chrono::steady_clock::now() + std::chrono::seconds(5));
  impl_->stopping = true;
  impl_->delivery_thread.join();
  rd_kafka_poll(impl_->handle, 0);  // reports that arrived after the thread's last round
  rd_kafka_destroy(impl_->handle);
}

void Producer::produce(const OutgoingMessage& message) {
  std::vector<rd_kafka_vu_t> fields;
  fields.reserve(5 + message.headers.size());
  auto add = [&fields](rd_kafka_vtype_t type) -> rd_kafka_vu_t& {
    fields.push_back(rd_kafka_vu_t{});
    fields.back().vtype = type;
    return fields.back();
  };
  add(RD_KAFKA_VTYPE_TOPIC).u.cstr = message.topic.c_str();
  // Copy: the caller's strings may die before the batch is sent.
  add(RD_KAFKA_VTYPE_MSGFLAGS).u.i = RD_KAFKA_MSG_F_COPY;
  if (!message.key.empty()) {
    auto& key = add(RD_KAFKA_VTYPE_KEY);
    key.u.mem.ptr = const_cast<char*>(message.key.data());
    key.u.mem.size = message.key.size();
  }
  auto& value = add(RD_KAFKA_VTYPE_VALUE);
  value.u.mem.ptr = const_cast<char*>(message.payload.data());
  value.u.mem.size = message.payload.size();
  add(RD_KAFKA_VTYPE_OPAQUE).u.ptr =
      reinterpret_cast<void*>(static_cast<std::uintptr_t>(message.correlation_id));
  for (const auto& header : message.headers) {
    auto& field = add(RD_KAFKA_VTYPE_HEADER);
    field.u.header.name = header.name.c_str();
    field.u.header.val = header.value.data();
    field.u.header.size = static_cast<ssize_t>(header.value.size());
  }
  if (rd_kafka_error_t* error = rd_kafka_produceva(impl_->handle, fields.data(), fields.size())) {
    auto code = rd_kafka_error_code(error);
    std::string reason = rd_kafka_error_string(error);
    rd_kafka_error_destroy(error);
    throw KafkaError(static_cast<int>(code), "producing to " + message.topic + ": " + reason +
                                                 " (" + rd_kafka_err2name(code) + ')');
  }
}

bool Producer::flush(std::chrono::steady_clock::time_point deadline) {
  // rd_kafka_outq_len counts queued and in-flight messages plus reports not yet served, so
  // zero means every report has reached the callback.
  std::unique_lock lock(impl_->mutex);
  while (rd_kafka_outq_len(impl_->handle) > 0) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    // Bounded wait: the delivery thread notifies after each round, at least every 100 ms.
    impl_->progress.wait_until(lock, std::min(deadline, std::chrono::steady_clock::now() +
                                                            std::chrono::milliseconds(100)));
  }
  return true;
}

std::size_t Producer::in_flight() const {
  return static_cast<std::size_t>(rd_kafka_outq_len(impl_->handle));
}

std::optional<bool> Producer::broker_connected() const {
  const int state = impl_->connectivity.load();
  if (state < 0) return std::nullopt;
  return state == 1;
}

}  // namespace eskit::runtime::kafka
