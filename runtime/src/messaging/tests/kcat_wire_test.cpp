// The wire is real Kafka: kcat (librdkafka's command-line client, a separate program with its
// own protocol handling) reads what the relay produced, envelope headers included, and injects
// events that an inbox consumer then handles as a policy would. kcat never shares code paths
// with our Producer/Consumer wrappers beyond the protocol itself.
#include <gtest/gtest.h>

#include <map>
#include <mutex>
#include <sstream>

#include "child_process.hpp"
#include "eskit/runtime/messaging/inbox_consumer.hpp"
#include "eskit/runtime/messaging/outbox.hpp"
#include "eskit/runtime/messaging/relay.hpp"
#include "messaging_fixture.hpp"

namespace eskit::runtime::messaging {
namespace {

using namespace testing;

// kcat with its output, or the test fails with what kcat said.
std::string kcat(std::vector<std::string> args, const std::string& input = {}) {
  const auto program = find_program("kcat");
  if (!program) {
    ADD_FAILURE() << "kcat is not installed (scripts/setup installs it)";
    return {};
  }
  args.insert(args.begin(), {*program, "-q", "-b", shared_broker().bootstrap_servers()});
  const auto result = run_process(args, input, Clock::now() + 30s);
  EXPECT_EQ(result.exit_status, 0) << result.err;
  return result.out;
}

// "name=value" pairs of kcat's %h ("k1=v1,k2=v2"); eskit header values contain no commas.
std::map<std::string, std::string> parse_kcat_headers(const std::string& text) {
  std::map<std::string, std::string> headers;
  std::stringstream stream(text);
  std::string pair;
  while (std::getline(stream, pair, ',')) {
    const auto eq = pair.find('=');
    if (eq != std::string::npos) headers[pair.substr(0, eq)] = pair.substr(eq + 1);
  }
  return headers;
}

TEST(KcatWire, ReadsWhatTheRelayProducedWithItsEnvelope) {
  ServiceDatabase service(db::Backend::sqlite, current_test_name());
  const auto topic = unique_name("orders");
  shared_broker().create_topic({topic, 1});
  std::vector<Envelope> events;
  {
    auto uow = service.db().begin();
    for (int n = 1; n <= 5; ++n) {
      events.push_back(Envelope::make("OrderPlaced", "ordering", "order-" + std::to_string(n),
                                      R"({"total":)" + std::to_string(n * 10) + "}", "corr-kcat"));
      Outbox::append(uow, events.back(), topic);
    }
    uow.commit();
  }
  RelayOptions options;
  options.poll_interval = 100ms;
  Relay relay(service.db(), client_options(shared_broker().bootstrap_servers()), options);
  relay.start();
  ASSERT_TRUE(wait_until(Clock::now() + 20s, [&] { return Outbox::backlog(service.db()) == 0; }));

  // -e: exit at the end of the partition; -c: at most this many. A tab separates the fields
  // (JSON bodies contain no raw tabs).
  std::stringstream lines(
      kcat({"-C", "-t", topic, "-o", "beginning", "-e", "-c", "6", "-f", "%k\t%h\t%s\n"}));
  std::string line;
  std::size_t index = 0;
  while (std::getline(lines, line)) {
    ASSERT_LT(index, events.size()) << "an extra message on the wire: " << line;
    const auto& expected = events[index++];
    const auto tab1 = line.find('\t');
    const auto tab2 = line.find('\t', tab1 + 1);
    ASSERT_NE(tab2, std::string::npos) << line;
    EXPECT_EQ(line.substr(0, tab1), expected.aggregate_id) << "the key is the aggregate id";
    const auto headers = parse_kcat_headers(line.substr(tab1 + 1, tab2 - tab1 - 1));
    EXPECT_EQ(headers.at(std::string(header::event_id)), expected.event_id);
    EXPECT_EQ(headers.at(std::string(header::event_type)), "OrderPlaced");
    EXPECT_EQ(headers.at(std::string(header::source)), "ordering");
    EXPECT_EQ(headers.at(std::string(header::correlation_id)), "corr-kcat");
    const auto body = line.substr(tab2 + 1);
    EXPECT_NE(body.find(R"("id":")" + expected.event_id + "\""), std::string::npos) << body;
    EXPECT_NE(body.find(expected.payload), std::string::npos) << body;
  }
  EXPECT_EQ(index, events.size());
}

TEST(KcatWire, AnInjectedEventIsHandledByAPolicyAndJunkIsDeadLettered) {
  ServiceDatabase service(db::Backend::sqlite, current_test_name());
  const auto topic = unique_name("payments");
  shared_broker().create_topic({topic, 1});
  shared_broker().create_topic({topic + ".dlq", 1});

  // The policy: PaymentApproved → mark the order paid (a write in the inbox's transaction).
  std::mutex mutex;
  std::vector<Envelope> applied;
  InboxOptions options;
  options.accepted_types = {"PaymentApproved"};
  options.backoff = 10ms;
  InboxConsumer policy(
      service.db(),
      consumer_options(shared_broker().bootstrap_servers(), unique_name("ordering-policy")),
      {topic},
      [&](db::UnitOfWork& uow, const Envelope& event) {
        uow.execute("insert into orders (id, status) values (:id, 'paid')", event.aggregate_id);
        std::lock_guard lock(mutex);
        applied.push_back(event);
      },
      options);
  policy.start();

  // What another team's service (or an operator) would put on the wire with plain tools.
  const auto event = Envelope::make("PaymentApproved", "payment", "order-42", R"({"amount":42})",
                                    "corr-inject", "cmd-9");
  const auto wire = encode(event);
  std::vector<std::string> produce_event = {"-P", "-t", topic, "-k", wire.key};
  for (const auto& h : wire.headers)
    produce_event.insert(produce_event.end(), {"-H", h.name + "=" + h.value});
  kcat(produce_event, wire.body);
  // A message without an envelope, then the same event again (a redelivery).
  kcat({"-P", "-t", topic, "-k", "junk"}, "this is not an event\n");
  kcat(produce_event, wire.body);

  ASSERT_TRUE(wait_until(Clock::now() + 30s,
                         [&] {
                           return policy.handled() == 1 && policy.dead_lettered() == 1 &&
                                  policy.duplicates() == 1;
                         }))
      << policy.handled() << " handled, " << policy.dead_lettered() << " dead-lettered, "
      << policy.duplicates() << " duplicates";
  policy.stop();
  {
    std::lock_guard lock(mutex);
    ASSERT_EQ(applied.size(), 1u);
    EXPECT_EQ(applied[0].event_id, event.event_id);
    EXPECT_EQ(applied[0].correlation_id, "corr-inject");
    EXPECT_EQ(applied[0].causation_id, "cmd-9");
    EXPECT_EQ(applied[0].payload, R"({"amount":42})");
  }
  EXPECT_EQ(count_rows(service.db(), "select count(*) from orders where status = 'paid'"), 1);
  const auto dead = read_topic(topic + ".dlq", 1, 10s);
  ASSERT_EQ(dead.size(), 1u);
  EXPECT_EQ(dead[0].key(), "junk");
  EXPECT_NE(std::string(dead[0].header("eskit-dlq-error").value_or("")).find("undecodable"),
            std::string::npos);
}

}  // namespace
}  // namespace eskit::runtime::messaging
