#include "eskit/runtime/messaging/inbox_consumer.hpp"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <map>
#include <mutex>
#include <thread>

#include "eskit/runtime/kafka/kafka_error.hpp"
#include "eskit/runtime/kafka/producer.hpp"
#include "eskit/runtime/log/correlation.hpp"
#include "eskit/runtime/log/logger.hpp"
#include "messaging/dead_letter.hpp"
#include "messaging/outbox_sql.hpp"

namespace eskit::runtime::messaging {
namespace {

using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

db::Timestamp db_now() {
  return std::chrono::floor<std::chrono::microseconds>(std::chrono::system_clock::now());
}

}  // namespace

struct InboxConsumer::State {
  db::Database database;
  kafka::ConsumerOptions consumer_options;
  std::vector<std::string> topics;
  Handler handler;
  InboxOptions options;
  http::MetricsRegistry* metrics = nullptr;
  // One series per event type, so a watcher sees what flowed where. Created when a type is
  // first handled (the registry's lookup takes a lock), then found here by the consumer
  // thread alone; the types are those of the subscribed topics, so the map stays small.
  std::map<std::string, http::Counter*> handled_counters;
  http::Counter* duplicate_counter = nullptr;
  http::Counter* dead_letter_counter = nullptr;
  http::Counter* discard_counter = nullptr;

  std::atomic<std::uint64_t> handled{0}, duplicates{0}, dead_lettered{0}, discarded{0};
  std::atomic<bool> stopping{false};
  std::mutex stop_mutex;
  std::condition_variable stop_signal;
  std::thread thread;

  // The dead-letter producer's reports: the offset moves only once the copy is in Kafka.
  std::mutex dlq_mutex;
  std::condition_variable dlq_reported;
  std::map<std::uint64_t, kafka::DeliveryReport> dlq_reports;
  std::uint64_t dlq_sequence = 0;

  State(db::Database db, kafka::ConsumerOptions c, std::vector<std::string> t, Handler h,
        InboxOptions o, http::MetricsRegistry* m)
      : database(std::move(db)),
        consumer_options(std::move(c)),
        topics(std::move(t)),
        handler(std::move(h)),
        options(std::move(o)),
        metrics(m) {
    if (options.consumer_name.empty()) options.consumer_name = consumer_options.group_id;
    if (options.max_attempts < 1) options.max_attempts = 1;
  }

  void count_handled(const std::string& event_type) {
    if (metrics == nullptr) return;
    auto& counter = handled_counters[event_type];
    if (counter == nullptr) {
      counter =
          &metrics->counter("eskit_inbox_handled_total", "Events applied through the inbox",
                            {{"consumer", options.consumer_name}, {"event_type", event_type}});
    }
    counter->inc();
  }

  // Sleeps unless stop() comes first; returns false when stopping.
  bool pause(std::chrono::milliseconds duration) {
    std::unique_lock lock(stop_mutex);
    return !stop_signal.wait_for(lock, duration, [&] { return stopping.load(); });
  }

  enum class Outcome { handled, duplicate };

  // One unit of work: the inbox row first, so a duplicate is found before the handler runs;
  // then the handler's writes; one commit for both.
  Outcome apply(const kafka::ConsumedMessage& message, const Envelope& envelope) {
    auto uow = database.begin();
    const auto inserted = uow.execute(sql::inbox_record, options.consumer_name, envelope.event_id,
                                      envelope.event_type, message.topic(), message.partition(),
                                      message.offset(), db_now());
    if (inserted == 0) {
      uow.commit();
      return Outcome::duplicate;
    }
    // The handler's log lines and the events it appends carry the event's correlation id.
    log::CorrelationScope correlation(envelope.correlation_id);
    handler(uow, envelope);
    uow.commit();
    if (options.after_commit) options.after_commit();
    return Outcome::handled;
  }

  // Publishes the poison message to the dead-letter topic and waits for the broker's
  // acknowledgement, retrying until it succeeds or the consumer stops. Returns false when
  // stopped first: the offset is then left uncommitted and the message comes back later.
  bool dead_letter(kafka::Producer& producer, const kafka::ConsumedMessage& message,
                   const std::string& error, int attempts) {
    auto outgoing = dead_letter_message(message, error, attempts, options.consumer_name,
                                        options.dead_letter_topic);
    if (options.logger) {
      options.logger->error("message dead-lettered", {{"consumer", options.consumer_name},
                                                      {"topic", message.topic()},
                                                      {"partition", message.partition()},
                                                      {"offset", message.offset()},
                                                      {"deadLetterTopic", outgoing.topic},
                                                      {"error", error}});
    }
    for (int attempt = 1; !stopping; ++attempt) {
      std::uint64_t id = 0;
      {
        std::lock_guard lock(dlq_mutex);
        id = ++dlq_sequence;
      }
      outgoing.correlation_id = id;
      try {
        producer.produce(outgoing);
        std::unique_lock lock(dlq_mutex);
        dlq_reported.wait(lock, [&] { return dlq_reports.contains(id) || stopping.load(); });
        if (auto found = dlq_reports.find(id); found != dlq_reports.end()) {
          const bool ok = found->second.ok();
          dlq_reports.erase(found);
          if (ok) {
            ++dead_lettered;
            if (dead_letter_counter) dead_letter_counter->inc();
            return true;
          }
        }
      } catch (const kafka::KafkaError&) {
        // Local queue full: wait and try again like a failed delivery.
      }
      if (!pause(options.backoff * std::min(attempt, 10))) return false;
    }
    return false;
  }

  // A message whose handler failed and that waits for its next try, its partition held.
  struct Retry {
    std::int64_t offset = 0;
    int attempts = 0;  // tries so far
    Clock::time_point due;
    bool resumed = false;
  };
  std::map<kafka::TopicPartition, Retry> retries;  // the consumer thread's alone

  enum class Step {
    settled,  // handled, a duplicate, dead-lettered or discarded: commit the offset
    held,     // waiting for its next try: commit nothing, read on
    stopped,  // stopping before it was settled: commit nothing, stop
  };

  Step settle_failure(kafka::Producer& producer, const kafka::ConsumedMessage& message,
                      const std::string& error) {
    if (options.discard_failures) {
      if (options.logger) {
        options.logger->error("event discarded: its handler failed every try",
                              {{"consumer", options.consumer_name},
                               {"tries", options.max_attempts},
                               {"error", error}});
      }
      ++discarded;
      if (discard_counter) discard_counter->inc();
      return Step::settled;
    }
    return dead_letter(
               producer, message,
               "handler failed " + std::to_string(options.max_attempts) + " times: " + error,
               options.max_attempts)
               ? Step::settled
               : Step::stopped;
  }

  Step process(kafka::Consumer& consumer, kafka::Producer& producer,
               const kafka::ConsumedMessage& message) {
    Envelope envelope;
    try {
      envelope = decode(message.payload(), message.headers());
    } catch (const EnvelopeError& error) {
      return dead_letter(producer, message, std::string("undecodable envelope: ") + error.what(), 0)
                 ? Step::settled
                 : Step::stopped;
    }
    if (!options.accepted_types.empty() && !options.accepted_types.contains(envelope.event_type)) {
      return dead_letter(producer, message, "unknown event type '" + envelope.event_type + "'", 0)
                 ? Step::settled
                 : Step::stopped;
    }
    if (!options.handled_types.empty() && !options.handled_types.contains(envelope.event_type))
      return Step::settled;
    // What is logged about this event carries its correlation id.
    log::CorrelationScope correlation(envelope.correlation_id);
    const kafka::TopicPartition where{std::string(message.topic()), message.partition()};
    const auto earlier = retries.find(where);
    int attempt = earlier != retries.end() && earlier->second.offset == message.offset()
                      ? earlier->second.attempts + 1
                      : 1;
    for (;; ++attempt) {
      std::string error;
      try {
        if (apply(message, envelope) == Outcome::duplicate) {
          ++duplicates;
          if (duplicate_counter) duplicate_counter->inc();
        } else {
          ++handled;
          count_handled(envelope.event_type);
        }
        retries.erase(where);
        return Step::settled;
      } catch (const std::exception& failure) {
        error = failure.what();
      } catch (...) {
        error = "unknown exception";
      }
      if (options.logger) {
        options.logger->warn("event handler failed", {{"consumer", options.consumer_name},
                                                      {"eventType", envelope.event_type},
                                                      {"eventId", envelope.event_id},
                                                      {"try", attempt},
                                                      {"of", options.max_attempts},
                                                      {"error", error}});
      }
      if (attempt >= options.max_attempts) {
        retries.erase(where);
        return settle_failure(producer, message, error);
      }
      const auto wait = options.backoff * (1 << std::min(attempt - 1, 10));
      retries[where] = Retry{message.offset(), attempt, Clock::now() + wait, false};
      // Held, the message waits for its next try while the other partitions flow: one event
      // that cannot be applied yet (its aggregate not created, a database briefly away) holds
      // up only the events ordered after it.
      try {
        consumer.hold(message);
        return Step::held;
      } catch (const kafka::KafkaError&) {
        // Not held (the partition is being taken away, the broker is unreachable): wait here,
        // since reading on would commit past this message.
      }
      if (!pause(wait)) return Step::stopped;
    }
  }

  // Resumes the held partitions whose message is due for its next try.
  void resume_due(kafka::Consumer& consumer) {
    const auto now = Clock::now();
    for (auto it = retries.begin(); it != retries.end();) {
      auto& [where, retry] = *it;
      if (retry.resumed || retry.due > now) {
        ++it;
        continue;
      }
      try {
        consumer.resume(where);
        retry.resumed = true;
        ++it;
      } catch (const kafka::KafkaError&) {
        it = retries.erase(it);  // no longer assigned: its new owner reads it from the commit
      }
    }
  }

  // How long poll() may wait: until the next held message is due, at most 100 ms.
  std::chrono::milliseconds poll_wait() const {
    auto wait = Clock::duration(100ms);
    for (const auto& [where, retry] : retries)
      if (!retry.resumed) wait = std::min(wait, retry.due - Clock::now());
    return std::max(std::chrono::ceil<std::chrono::milliseconds>(wait), 0ms);
  }

  void sample_lag(kafka::Consumer& consumer) {
    if (metrics == nullptr) return;
    try {
      for (const auto& lag : consumer.lag(2s)) {
        metrics
            ->gauge("eskit_consumer_lag",
                    "Messages in the partition the group has not committed yet",
                    {{"consumer", options.consumer_name},
                     {"topic", lag.topic},
                     {"partition", std::to_string(lag.partition)}})
            .set(static_cast<double>(lag.lag));
      }
    } catch (const kafka::KafkaError&) {
      // The broker is unreachable: keep the last sample; readiness of the broker says why.
    }
  }

  void run() {
    kafka::Producer producer(consumer_options.client.for_producer(),
                             [this](const kafka::DeliveryReport& report) {
                               std::lock_guard lock(dlq_mutex);
                               dlq_reports[report.correlation_id] = report;
                               dlq_reported.notify_all();
                             });
    // Between joining (or a rebalance starting) and the group's assignment this member reads
    // nothing and measures no lag, so a lag of 0 would mean nothing: eskit_consumer_assigned
    // says whether the member currently holds its share (which may be no partition at all).
    auto next_lag = Clock::now();
    http::Gauge* assigned = nullptr;
    if (metrics != nullptr) {
      assigned = &metrics->gauge("eskit_consumer_assigned",
                                 "1 while this member holds its group assignment, 0 while joining "
                                 "or rebalancing",
                                 {{"consumer", options.consumer_name}});
      assigned->set(0);
    }
    auto options_with_gauge = consumer_options;
    options_with_gauge.on_assigned = [&, user = consumer_options.on_assigned](const auto& list) {
      if (user) user(list);
      if (assigned) assigned->set(1);
      next_lag = Clock::now();  // a fresh sample for the partitions just received
    };
    kafka::Consumer* self = nullptr;
    options_with_gauge.on_revoked = [&, user = consumer_options.on_revoked](const auto& list) {
      if (user) user(list);
      if (assigned) assigned->set(0);
      // A held partition leaves unpaused, so that it is read again should it come back; its
      // new owner starts from the committed offset, which is the held message.
      for (const auto& where : list) {
        if (retries.erase(where) == 0 || self == nullptr) continue;
        try {
          self->resume(where);
        } catch (const kafka::KafkaError&) {
        }
      }
    };
    kafka::Consumer consumer(options_with_gauge);
    self = &consumer;
    consumer.subscribe(topics);
    while (!stopping) {
      if (Clock::now() >= next_lag) {
        sample_lag(consumer);
        next_lag = Clock::now() + options.lag_interval;
      }
      resume_due(consumer);
      auto message = consumer.poll(poll_wait());
      if (!message) continue;
      const auto step = process(consumer, producer, *message);
      if (step == Step::stopped) break;
      if (step == Step::held) continue;
      try {
        consumer.commit(*message);
      } catch (const kafka::KafkaError&) {
        // The partition moved to another member meanwhile: it will see the message again and
        // find it in the inbox.
      }
    }
    consumer.close();
  }
};

InboxConsumer::InboxConsumer(db::Database database, kafka::ConsumerOptions consumer,
                             std::vector<std::string> topics, Handler handler, InboxOptions options,
                             http::MetricsRegistry* metrics)
    : state_(std::make_unique<State>(std::move(database), std::move(consumer), std::move(topics),
                                     std::move(handler), std::move(options), metrics)) {
  if (metrics == nullptr) return;
  const http::Labels labels{{"consumer", state_->options.consumer_name}};
  state_->duplicate_counter = &metrics->counter(
      "eskit_inbox_duplicates_total", "Redelivered events the inbox had already applied", labels);
  state_->dead_letter_counter = &metrics->counter("eskit_inbox_dead_lettered_total",
                                                  "Messages sent to the dead-letter topic", labels);
  state_->discard_counter =
      &metrics->counter("eskit_inbox_discarded_total",
                        "Events dropped after their handler failed every attempt", labels);
}

InboxConsumer::~InboxConsumer() { stop(); }

void InboxConsumer::start() {
  if (state_->thread.joinable()) return;
  state_->stopping = false;
  state_->thread = std::thread([state = state_.get()] { state->run(); });
}

void InboxConsumer::stop() {
  {
    std::lock_guard lock(state_->stop_mutex);
    state_->stopping = true;
  }
  state_->stop_signal.notify_all();
  {
    std::lock_guard lock(state_->dlq_mutex);
    state_->dlq_reported.notify_all();
  }
  if (state_->thread.joinable()) state_->thread.join();
}

std::uint64_t InboxConsumer::handled() const noexcept { return state_->handled; }
std::uint64_t InboxConsumer::duplicates() const noexcept { return state_->duplicates; }
std::uint64_t InboxConsumer::dead_lettered() const noexcept { return state_->dead_lettered; }
std::uint64_t InboxConsumer::discarded() const noexcept { return state_->discarded; }

}  // namespace eskit::runtime::messaging
