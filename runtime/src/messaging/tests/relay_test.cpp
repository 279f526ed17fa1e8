// The relay against the embedded broker: what it publishes, in which order, how fast after
// wake(), what it does while the broker is gone, its purge, metrics and readiness.
#include <gtest/gtest.h>

#include <map>

#include "eskit/runtime/http/metrics.hpp"
#include "eskit/runtime/messaging/outbox.hpp"
#include "eskit/runtime/messaging/relay.hpp"
#include "messaging_fixture.hpp"

namespace eskit::runtime::messaging {
namespace {

using namespace testing;

class RelayTest : public ::testing::TestWithParam<db::Backend> {};

RelayOptions fast_options() {
  RelayOptions options;
  options.poll_interval = 200ms;
  options.delivery_timeout = 3000ms;
  options.retry_backoff = 100ms;
  return options;
}

void append(db::Database& db, const std::string& topic, const std::vector<Envelope>& events) {
  auto uow = db.begin();
  for (const auto& e : events) Outbox::append(uow, e, topic);
  uow.commit();
}

TEST_P(RelayTest, PublishesCommittedEventsOnceInOrderPerAggregate) {
  ServiceDatabase service(GetParam(), current_test_name());
  const auto topic = unique_name("orders");
  shared_broker().create_topic({topic, 4});
  {
    auto uow = service.db().begin();
    Outbox::append(uow, Envelope::make("OrderPlaced", "ordering", "rolled-back", "{}"), topic);
  }  // rolled back: must never appear
  std::vector<Envelope> events;
  for (int n = 0; n < 10; ++n)
    for (const char* order : {"o-1", "o-2", "o-3"})
      events.push_back(Envelope::make("OrderChanged", "ordering", order,
                                      R"({"n":)" + std::to_string(n) + "}",
                                      "corr-" + std::string(order), "cause"));
  append(service.db(), topic, events);

  Relay relay(service.db(), client_options(shared_broker().bootstrap_servers()), fast_options());
  relay.start();
  ASSERT_TRUE(wait_until(Clock::now() + 20s, [&] { return Outbox::backlog(service.db()) == 0; }));
  // Read more than expected: an extra (duplicate or rolled-back) message would show up.
  const auto messages = read_topic(topic, events.size() + 1, 5s);
  ASSERT_EQ(messages.size(), events.size());
  std::map<std::string, std::vector<int>> seen;
  std::map<std::string, std::int32_t> partition_of;
  std::set<std::string> ids;
  for (const auto& m : messages) {
    const auto e = decode_message(m);
    EXPECT_EQ(m.key(), e.aggregate_id);
    EXPECT_EQ(e.source, "ordering");
    EXPECT_EQ(e.correlation_id, "corr-" + e.aggregate_id);
    EXPECT_EQ(m.header("eskit-event-type"), "OrderChanged");
    ids.insert(e.event_id);
    seen[e.aggregate_id].push_back(std::stoi(e.payload.substr(5)));
    auto [it, fresh] = partition_of.emplace(e.aggregate_id, m.partition());
    EXPECT_EQ(it->second, m.partition()) << "one aggregate, one partition";
  }
  EXPECT_EQ(ids.size(), events.size());
  for (const auto& [order, numbers] : seen) {
    EXPECT_EQ(numbers, (std::vector<int>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9})) << order;
  }
  EXPECT_EQ(relay.published(), events.size());
}

TEST_P(RelayTest, WakePublishesWithoutWaitingForThePoll) {
  ServiceDatabase service(GetParam(), current_test_name());
  const auto topic = unique_name("orders");
  shared_broker().create_topic({topic, 1});
  auto options = fast_options();
  options.poll_interval = 30s;  // only wake() can explain a fast publish
  Relay relay(service.db(), client_options(shared_broker().bootstrap_servers()), options);
  relay.start();
  // A first event warms up the producer's connection (metadata, producer id).
  append(service.db(), topic, {Envelope::make("OrderPlaced", "ordering", "o-1", "{}")});
  relay.wake();
  ASSERT_TRUE(wait_until(Clock::now() + 10s, [&] { return relay.published() == 1; }));

  const auto started = Clock::now();
  append(service.db(), topic, {Envelope::make("OrderShipped", "ordering", "o-1", "{}")});
  relay.wake();
  ASSERT_TRUE(wait_until(Clock::now() + 10s, [&] { return relay.published() == 2; }));
  EXPECT_LT(Clock::now() - started, 2s) << "the poll interval is 30 s";
}

TEST_P(RelayTest, PurgesPublishedRowsOnSchedule) {
  ServiceDatabase service(GetParam(), current_test_name());
  const auto topic = unique_name("orders");
  auto options = fast_options();
  options.purge_after = 0ms;
  options.purge_interval = 50ms;
  Relay relay(service.db(), client_options(shared_broker().bootstrap_servers()), options);
  append(service.db(), topic,
         {Envelope::make("OrderPlaced", "ordering", "o-1", "{}"),
          Envelope::make("OrderPlaced", "ordering", "o-2", "{}")});
  relay.start();
  ASSERT_TRUE(wait_until(Clock::now() + 20s, [&] { return relay.published() == 2; }));
  EXPECT_TRUE(wait_until(Clock::now() + 5s, [&] {
    return count_rows(service.db(), "select count(*) from eskit_outbox") == 0;
  }));
}

// A head the producer refuses (here: over message.max.bytes) is retried every round, and its
// aggregate's later rows wait behind it rather than overtaking it; other aggregates flow, even
// with more of the stuck aggregate's rows queued than a round takes.
TEST_P(RelayTest, AnAggregateWaitsBehindAHeadThatCannotBePublished) {
  ServiceDatabase service(GetParam(), current_test_name());
  const auto topic = unique_name("orders");
  shared_broker().create_topic({topic, 4});
  std::vector<Envelope> events{Envelope::make("OrderPlaced", "ordering", "o-1",
                                              R"({"note":")" + std::string(4000, 'x') + R"("})")};
  for (int n = 1; n <= 4; ++n)
    events.push_back(
        Envelope::make("OrderChanged", "ordering", "o-1", R"({"n":)" + std::to_string(n) + "}"));
  events.push_back(Envelope::make("OrderPlaced", "ordering", "o-2", R"({"n":1})"));
  append(service.db(), topic, events);
  auto client = client_options(shared_broker().bootstrap_servers());
  client.properties["message.max.bytes"] = "2000";
  auto options = fast_options();
  options.batch_size = 2;
  Relay relay(service.db(), client, options);
  relay.start();
  // Three failed tries are three rounds that each could have taken o-1's later rows.
  ASSERT_TRUE(wait_until(Clock::now() + 20s, [&] { return relay.failed() >= 3; }));
  ASSERT_TRUE(wait_until(Clock::now() + 5s, [&] { return relay.published() >= 1; }))
      << "o-2 is hidden behind o-1's queue";
  EXPECT_EQ(relay.published(), 1u);
  EXPECT_EQ(
      count_rows(service.db(),
                 "select count(*) from eskit_outbox where aggregate_id = 'o-1' and sent_at is "
                 "null"),
      5);
  const auto messages = read_topic(topic, 2, 8s);  // the group join alone takes ~3 s
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(messages[0].key(), "o-2");
}

INSTANTIATE_TEST_SUITE_P(Backends, RelayTest,
                         ::testing::Values(db::Backend::sqlite, db::Backend::postgresql),
                         db::testing::backend_name);

TEST(RelayBrokerDown, RowsStayUnsentUntilALiveBrokerAcknowledges) {
  ServiceDatabase service(db::Backend::sqlite, current_test_name());
  const auto topic = unique_name("orders");
  http::MetricsRegistry metrics;
  auto doomed = std::make_unique<kafka::EmbeddedBroker>();
  auto options = fast_options();
  options.delivery_timeout = 500ms;
  options.stuck_after = 300ms;
  {
    Relay relay(service.db(), client_options(doomed->bootstrap_servers()), options, &metrics);
    relay.start();
    const auto ready = relay.readiness_check();
    doomed.reset();
    append(service.db(), topic,
           {Envelope::make("OrderPlaced", "ordering", "o-1", "{}"),
            Envelope::make("OrderPlaced", "ordering", "o-2", "{}")});
    relay.wake();
    ASSERT_TRUE(wait_until(Clock::now() + 15s, [&] { return relay.failed() >= 2; }));
    EXPECT_EQ(relay.published(), 0u);
    EXPECT_EQ(Outbox::backlog(service.db()), 2);
    EXPECT_EQ(
        count_rows(service.db(), "select count(*) from eskit_outbox where last_error is not null"),
        2);
    ASSERT_TRUE(wait_until(Clock::now() + 5s, [&] { return !ready().ok; }));
    EXPECT_NE(ready().reason.find("oldest unsent outbox row"), std::string::npos) << ready().reason;
    const auto text = metrics.render();
    EXPECT_NE(text.find("eskit_outbox_backlog{relay=\"outbox\"} 2"), std::string::npos) << text;
    EXPECT_NE(text.find("eskit_outbox_publish_failed_total{relay=\"outbox\"}"), std::string::npos)
        << text;
    EXPECT_NE(text.find("eskit_outbox_oldest_unsent_age_seconds{relay=\"outbox\"}"),
              std::string::npos)
        << text;
  }
  Relay relay(service.db(), client_options(shared_broker().bootstrap_servers()), options, &metrics);
  relay.start();
  ASSERT_TRUE(wait_until(Clock::now() + 20s, [&] { return Outbox::backlog(service.db()) == 0; }));
  EXPECT_TRUE(relay.readiness_check()().ok);
  EXPECT_EQ(relay.published(), 2u);
  const auto text = metrics.render();
  EXPECT_NE(text.find("eskit_outbox_published_total{relay=\"outbox\"} 2"), std::string::npos)
      << text;
  EXPECT_NE(text.find("eskit_outbox_backlog{relay=\"outbox\"} 0"), std::string::npos) << text;
}

}  // namespace
}  // namespace eskit::runtime::messaging
