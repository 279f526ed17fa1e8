// The inbox consumer against the embedded broker: each event applied once, poison messages
// dead-lettered with the reason while later messages still flow, offsets committed after the
// transaction, and replicas of one group sharing the work without applying anything twice.
#include <gtest/gtest.h>

#include <atomic>
#include <mutex>

#include "eskit/runtime/http/metrics.hpp"
#include "eskit/runtime/kafka/producer.hpp"
#include "eskit/runtime/log/logger.hpp"
#include "eskit/runtime/messaging/inbox_consumer.hpp"
#include "messaging_fixture.hpp"

namespace eskit::runtime::messaging {
namespace {

using namespace testing;

kafka::OutgoingMessage to_message(const std::string& topic, const Envelope& e) {
  auto wire = encode(e);
  return {topic, wire.key, wire.body, wire.headers, 0};
}

void publish(const std::vector<kafka::OutgoingMessage>& messages) {
  std::atomic<int> failed{0};
  kafka::Producer producer(client_options(shared_broker().bootstrap_servers()),
                           [&](const kafka::DeliveryReport& r) { failed += r.ok() ? 0 : 1; });
  for (const auto& m : messages) producer.produce(m);
  ASSERT_TRUE(producer.flush(Clock::now() + 10s));
  ASSERT_EQ(failed.load(), 0);
}

// The log lines a consumer wrote, for the ones that mention a message.
class LineSink final : public log::Sink {
 public:
  std::vector<std::string> matching(std::string_view text) {
    std::lock_guard lock(mutex_);
    std::vector<std::string> out;
    for (const auto& line : lines_)
      if (line.find(text) != std::string::npos) out.push_back(line);
    return out;
  }

 private:
  void emit(std::string_view line) override {
    std::lock_guard lock(mutex_);
    lines_.emplace_back(line);
  }
  std::mutex mutex_;
  std::vector<std::string> lines_;
};

// Records each event in `orders` (the handler's write) and counts calls per event id.
struct RecordingHandler {
  std::mutex mutex;
  std::map<std::string, int> calls;

  InboxConsumer::Handler handler() {
    return [this](db::UnitOfWork& uow, const Envelope& e) {
      {
        std::lock_guard lock(mutex);
        ++calls[e.event_id];
      }
      if (e.event_type == "Explode") throw std::runtime_error("boom: cannot apply " + e.event_id);
      uow.execute("insert into orders (id, status) values (:id, :status)", e.event_id,
                  e.event_type);
    };
  }
  int calls_for(const std::string& id) {
    std::lock_guard lock(mutex);
    return calls[id];
  }
};

TEST(Inbox, AppliesOnceDeadLettersPoisonAndMovesOn) {
  ServiceDatabase service(db::Backend::sqlite, current_test_name());
  const auto topic = unique_name("payments");
  shared_broker().create_topic({topic, 1});
  shared_broker().create_topic({topic + ".dlq", 1});
  const auto placed = Envelope::make("OrderPlaced", "ordering", "o-1", R"({"total":3})");
  const auto explode = Envelope::make("Explode", "ordering", "o-2", "{}");
  const auto unknown = Envelope::make("Unknown", "ordering", "o-3", "{}");
  const auto later = Envelope::make("OrderPlaced", "ordering", "o-4", "{}");
  auto headerless = to_message(topic, Envelope::make("OrderPlaced", "ordering", "o-5", "{}"));
  headerless.headers.clear();
  publish({to_message(topic, placed), to_message(topic, placed),  // redelivered: same event id
           kafka::OutgoingMessage{topic, "o-6", "{not json", {}, 0}, headerless,
           to_message(topic, unknown), to_message(topic, explode), to_message(topic, later)});

  http::MetricsRegistry metrics;
  RecordingHandler recorder;
  InboxOptions options;
  options.max_attempts = 2;
  options.backoff = 10ms;
  options.accepted_types = {"OrderPlaced", "Explode"};
  options.lag_interval = 100ms;
  std::atomic<int> after_commits{0};
  options.after_commit = [&after_commits] { ++after_commits; };
  const auto group = unique_name("billing");
  InboxConsumer consumer(service.db(), consumer_options(shared_broker().bootstrap_servers(), group),
                         {topic}, recorder.handler(), options, &metrics);
  consumer.start();
  ASSERT_TRUE(wait_until(Clock::now() + 30s,
                         [&] {
                           return consumer.handled() == 2 && consumer.duplicates() == 1 &&
                                  consumer.dead_lettered() == 4;
                         }))
      << consumer.handled() << " handled, " << consumer.duplicates() << " duplicates, "
      << consumer.dead_lettered() << " dead-lettered";

  EXPECT_EQ(recorder.calls_for(placed.event_id), 1)
      << "the redelivered event ran the handler again";
  EXPECT_EQ(recorder.calls_for(later.event_id), 1);
  EXPECT_EQ(recorder.calls_for(explode.event_id), 2) << "max_attempts";
  EXPECT_EQ(recorder.calls_for(unknown.event_id), 0);
  EXPECT_EQ(after_commits.load(), 2) << "once per handled event: not for duplicates or failures";
  EXPECT_EQ(count_rows(service.db(), "select count(*) from orders"), 2);
  EXPECT_EQ(
      count_rows(service.db(), "select count(*) from eskit_inbox where consumer = '" + group + "'"),
      2)
      << "failed attempts leave no inbox row";

  // Offsets were committed: the group's lag drops to zero.
  ASSERT_TRUE(wait_until(Clock::now() + 10s, [&] {
    return metrics.render().find("eskit_consumer_lag{consumer=\"" + group +
                                 "\",partition=\"0\",topic=\"" + topic + "\"} 0") !=
           std::string::npos;
  })) << metrics.render();
  const auto text = metrics.render();
  EXPECT_NE(text.find("eskit_inbox_handled_total{consumer=\"" + group +
                      "\",event_type=\"OrderPlaced\"} 2"),
            std::string::npos)
      << text;
  EXPECT_EQ(text.find("event_type=\"Explode\""), std::string::npos)
      << "a type whose handler never succeeded has no handled series\n"
      << text;
  EXPECT_NE(text.find("eskit_inbox_duplicates_total{consumer=\"" + group + "\"} 1"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("eskit_inbox_dead_lettered_total{consumer=\"" + group + "\"} 4"),
            std::string::npos)
      << text;
  consumer.stop();

  const auto dead = read_topic(topic + ".dlq", 4, 10s);
  ASSERT_EQ(dead.size(), 4u);
  std::vector<std::string> errors;
  for (const auto& m : dead) {
    errors.emplace_back(m.header("eskit-dlq-error").value_or("<none>"));
    EXPECT_EQ(m.header("eskit-dlq-original-topic"), topic);
    EXPECT_EQ(m.header("eskit-dlq-original-partition"), "0");
    EXPECT_TRUE(m.header("eskit-dlq-original-offset").has_value());
    EXPECT_EQ(m.header("eskit-dlq-consumer"), group);
  }
  EXPECT_NE(errors[0].find("undecodable envelope: message body is not valid JSON"),
            std::string::npos)
      << errors[0];
  EXPECT_NE(errors[1].find("header 'eskit-event-id' is missing"), std::string::npos) << errors[1];
  EXPECT_NE(errors[2].find("unknown event type 'Unknown'"), std::string::npos) << errors[2];
  EXPECT_NE(errors[3].find("handler failed 2 times: boom"), std::string::npos) << errors[3];
  EXPECT_EQ(dead[0].payload(), "{not json") << "the original body, untouched";
  EXPECT_EQ(dead[3].header("eskit-event-id"), explode.event_id) << "the original headers, kept";
}

TEST(Inbox, DiscardingDropsWhatKeepsFailingButStillDeadLettersPoison) {
  ServiceDatabase service(db::Backend::sqlite, current_test_name());
  const auto topic = unique_name("catches");
  shared_broker().create_topic({topic, 1});
  shared_broker().create_topic({topic + ".dlq", 1});
  const auto explode = Envelope::make("Explode", "ordering", "o-1", "{}");
  const auto later = Envelope::make("OrderPlaced", "ordering", "o-2", "{}");
  publish({to_message(topic, explode), kafka::OutgoingMessage{topic, "o-3", "{not json", {}, 0},
           to_message(topic, later)});

  http::MetricsRegistry metrics;
  RecordingHandler recorder;
  InboxOptions options;
  options.max_attempts = 3;
  options.backoff = 10ms;
  options.discard_failures = true;
  const auto group = unique_name("notices");
  InboxConsumer consumer(service.db(), consumer_options(shared_broker().bootstrap_servers(), group),
                         {topic}, recorder.handler(), options, &metrics);
  consumer.start();
  ASSERT_TRUE(wait_until(Clock::now() + 30s,
                         [&] {
                           return consumer.handled() == 1 && consumer.discarded() == 1 &&
                                  consumer.dead_lettered() == 1;
                         }))
      << consumer.handled() << " handled, " << consumer.discarded() << " discarded, "
      << consumer.dead_lettered() << " dead-lettered";
  EXPECT_EQ(recorder.calls_for(explode.event_id), 3) << "every attempt before it is dropped";
  EXPECT_EQ(recorder.calls_for(later.event_id), 1) << "later events still flow";
  EXPECT_NE(metrics.render().find("eskit_inbox_discarded_total{consumer=\"" + group + "\"} 1"),
            std::string::npos)
      << metrics.render();
  consumer.stop();
  const auto dead = read_topic(topic + ".dlq", 1, 10s);
  ASSERT_EQ(dead.size(), 1u) << "only the undecodable message";
  EXPECT_EQ(dead[0].payload(), "{not json");
}

// A policy reads its trigger's topic, where the source's other events flow too: those pass by
// without the handler, an inbox row or a handled count, and the offset still moves on.
TEST(Inbox, EventsOutsideHandledTypesPassByUntouched) {
  ServiceDatabase service(db::Backend::sqlite, current_test_name());
  const auto topic = unique_name("orders");
  shared_broker().create_topic({topic, 1});
  const auto placed = Envelope::make("OrderPlaced", "ordering", "o-1", "{}");
  const auto shipped = Envelope::make("OrderShipped", "ordering", "o-1", "{}");
  const auto later = Envelope::make("OrderPlaced", "ordering", "o-2", "{}");
  publish({to_message(topic, placed), to_message(topic, shipped), to_message(topic, later)});

  http::MetricsRegistry metrics;
  RecordingHandler recorder;
  InboxOptions options;
  options.handled_types = {"OrderPlaced"};
  options.lag_interval = 100ms;
  const auto group = unique_name("invoicing");
  InboxConsumer consumer(service.db(), consumer_options(shared_broker().bootstrap_servers(), group),
                         {topic}, recorder.handler(), options, &metrics);
  consumer.start();
  ASSERT_TRUE(wait_until(Clock::now() + 30s, [&] { return consumer.handled() == 2; }))
      << consumer.handled() << " handled";
  // Committed past all three: the group's lag drops to zero.
  ASSERT_TRUE(wait_until(Clock::now() + 10s, [&] {
    return metrics.render().find("eskit_consumer_lag{consumer=\"" + group +
                                 "\",partition=\"0\",topic=\"" + topic + "\"} 0") !=
           std::string::npos;
  })) << metrics.render();
  consumer.stop();
  EXPECT_EQ(recorder.calls_for(shipped.event_id), 0);
  EXPECT_EQ(consumer.dead_lettered(), 0u);
  EXPECT_EQ(
      count_rows(service.db(), "select count(*) from eskit_inbox where consumer = '" + group + "'"),
      2);
  EXPECT_EQ(metrics.render().find("event_type=\"OrderShipped\""), std::string::npos)
      << metrics.render();
}

TEST(Inbox, AMessageWaitingForItsNextTryHoldsUpOnlyItsOwnPartition) {
  ServiceDatabase service(db::Backend::sqlite, current_test_name());
  const auto topic = unique_name("visits");
  shared_broker().create_topic({topic, 2});
  // Equal keys share a partition; "order-1" and "order-2" land on different ones of two
  // (checked below against what the broker says).
  const auto flaky = Envelope::make("Flaky", "ordering", "order-1", "{}", "request-17");
  const auto behind = Envelope::make("OrderPlaced", "ordering", "order-1", "{}");
  const auto beside = Envelope::make("OrderPlaced", "ordering", "order-2", "{}");
  publish({to_message(topic, flaky), to_message(topic, behind)});

  std::mutex mutex;
  std::vector<std::string> applied;
  std::atomic<int> flaky_calls{0};
  auto handler = [&](db::UnitOfWork&, const Envelope& e) {
    // Fails twice, like an event that arrives before the aggregate it needs.
    if (e.event_type == "Flaky" && ++flaky_calls < 3) throw std::runtime_error("not yet");
    std::lock_guard lock(mutex);
    applied.push_back(e.event_id);
  };
  InboxOptions options;
  options.max_attempts = 3;
  options.backoff = 1s;  // the next tries come 1 s, then 2 s later
  auto lines = std::make_shared<LineSink>();
  log::Logger logger("visit", log::Level::info, lines);
  options.logger = &logger;
  InboxConsumer consumer(
      service.db(), consumer_options(shared_broker().bootstrap_servers(), unique_name("visit")),
      {topic}, handler, options);
  consumer.start();
  ASSERT_TRUE(wait_until(Clock::now() + 30s, [&] { return flaky_calls.load() >= 1; }));
  // Published while the flaky event waits: it must not wait with it.
  publish({to_message(topic, beside)});
  ASSERT_TRUE(wait_until(Clock::now() + 30s, [&] { return consumer.handled() == 3; }))
      << consumer.handled() << " handled";
  consumer.stop();

  EXPECT_EQ(flaky_calls.load(), 3);
  EXPECT_EQ(applied, (std::vector<std::string>{beside.event_id, flaky.event_id, behind.event_id}))
      << "the other partition flows during the wait; its own keeps its order";
  const auto stored = read_topic(topic, 3, 10s);
  ASSERT_EQ(stored.size(), 3u);
  std::map<std::string, std::int32_t> partition_of;
  for (const auto& m : stored) partition_of[decode_message(m).event_id] = m.partition();
  EXPECT_NE(partition_of[flaky.event_id], partition_of[beside.event_id])
      << "the test needs the two keys on different partitions";
  // Each failed try is a warning an operator can trace to the request.
  const auto failed = lines->matching("event handler failed");
  ASSERT_EQ(failed.size(), 2u);
  EXPECT_NE(failed[0].find(R"("correlation_id":"request-17")"), std::string::npos) << failed[0];
  EXPECT_NE(failed[0].find(R"("error":"not yet")"), std::string::npos) << failed[0];
  EXPECT_NE(failed[1].find(R"("try":2)"), std::string::npos) << failed[1];
}

TEST(Inbox, ReplicasOfOneGroupApplyEachEventOnce) {
  std::unique_ptr<ServiceDatabase> service;
  try {
    service = std::make_unique<ServiceDatabase>(db::Backend::postgresql, current_test_name());
  } catch (const std::exception& e) {
    GTEST_FAIL() << "cannot provide a PostgreSQL database: " << e.what();
  }
  const auto topic = unique_name("rides");
  shared_broker().create_topic({topic, 4});
  const auto group = unique_name("dispatch");
  RecordingHandler recorder;
  InboxOptions options;
  options.backoff = 10ms;
  InboxConsumer first(service->db(), consumer_options(shared_broker().bootstrap_servers(), group),
                      {topic}, recorder.handler(), options);
  InboxConsumer second(service->db(), consumer_options(shared_broker().bootstrap_servers(), group),
                       {topic}, recorder.handler(), options);
  first.start();
  second.start();

  std::vector<Envelope> events;
  std::vector<kafka::OutgoingMessage> messages;
  for (int i = 0; i < 60; ++i) {
    events.push_back(
        Envelope::make("RideRequested", "dispatch", "ride-" + std::to_string(i % 12), "{}"));
    messages.push_back(to_message(topic, events.back()));
  }
  // Half before the group settles, half after: the rebalance happens with work in flight.
  publish({messages.begin(), messages.begin() + 30});
  ASSERT_TRUE(
      wait_until(Clock::now() + 30s, [&] { return first.handled() + second.handled() >= 10; }));
  publish({messages.begin() + 30, messages.end()});
  ASSERT_TRUE(
      wait_until(Clock::now() + 40s, [&] { return first.handled() + second.handled() == 60; }))
      << first.handled() << " + " << second.handled();
  first.stop();
  second.stop();
  EXPECT_EQ(first.handled() + second.handled(), 60u);
  EXPECT_EQ(count_rows(service->db(), "select count(*) from orders"), 60);
  for (const auto& e : events) EXPECT_EQ(recorder.calls_for(e.event_id), 1) << e.event_id;
}

}  // namespace
}  // namespace eskit::runtime::messaging
