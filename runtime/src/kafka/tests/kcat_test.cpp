// The wire is real Kafka: kcat, an independent Kafka client in another process, reads what
// the producer sent and injects an event the consumer then handles.

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <map>

#include "child_process.hpp"
#include "eskit/runtime/kafka/consumer.hpp"
#include "eskit/runtime/kafka/producer.hpp"
#include "test_support.hpp"

namespace eskit::runtime::kafka {
namespace {

using namespace testing;

std::string kcat_or_fail() {
  auto kcat = find_program("kcat");
  if (!kcat)
    ADD_FAILURE() << "kcat is not on PATH; install it (Debian: apt-get install kcat) — "
                     "the Kafka cross-checks need an independent client";
  return kcat.value_or("");
}

TEST(KafkaKcat, ReadsWhatTheProducerSent) {
  const auto kcat = kcat_or_fail();
  if (kcat.empty()) return;
  auto& broker = shared_broker();
  const auto topic = unique_name("invoices");
  broker.create_topic({topic, 2});

  Producer producer(client_options(broker.bootstrap_servers()), nullptr);
  producer.produce({topic,
                    "invoice-7",
                    R"({"amount":120})",
                    {{"event_type", "InvoiceIssued"}, {"event_id", "e-1"}},
                    1});
  producer.produce({topic,
                    "invoice-7",
                    R"({"amount":0})",
                    {{"event_type", "InvoiceVoided"}, {"event_id", "e-2"}},
                    2});
  ASSERT_TRUE(producer.flush(Clock::now() + 10s));

  auto result = run_process({kcat, "-b", broker.bootstrap_servers(), "-C", "-t", topic, "-o",
                             "beginning", "-e", "-q", "-J"},
                            "", Clock::now() + 20s);
  ASSERT_FALSE(result.timed_out) << result.err;
  ASSERT_EQ(result.exit_status, 0) << result.err;

  std::vector<boost::json::object> records;
  std::size_t start = 0;
  while (start < result.out.size()) {
    auto end = result.out.find('\n', start);
    if (end == std::string::npos) end = result.out.size();
    if (end > start)
      records.push_back(boost::json::parse(result.out.substr(start, end - start)).as_object());
    start = end + 1;
  }
  ASSERT_EQ(records.size(), 2u) << result.out;
  for (std::size_t i = 0; i < records.size(); ++i) {
    const auto& record = records[i];
    EXPECT_EQ(record.at("topic").as_string(), topic);
    EXPECT_EQ(record.at("key").as_string(), "invoice-7");
    EXPECT_EQ(record.at("offset").as_int64(), static_cast<std::int64_t>(i))
        << "one partition, in order";
    const auto& headers = record.at("headers").as_array();  // [name, value, name, value]
    ASSERT_EQ(headers.size(), 4u);
    EXPECT_EQ(headers[0].as_string(), "event_type");
    EXPECT_EQ(headers[2].as_string(), "event_id");
    EXPECT_EQ(headers[3].as_string(), i == 0 ? "e-1" : "e-2");
  }
  EXPECT_EQ(records[0].at("payload").as_string(), R"({"amount":120})");
  EXPECT_EQ(records[1].at("headers").as_array()[1].as_string(), "InvoiceVoided");
}

TEST(KafkaKcat, ConsumerHandlesAnEventKcatInjected) {
  const auto kcat = kcat_or_fail();
  if (kcat.empty()) return;
  auto& broker = shared_broker();
  const auto topic = unique_name("payments-in");
  broker.create_topic({topic, 1});

  auto result = run_process({kcat, "-b", broker.bootstrap_servers(), "-P", "-t", topic, "-K", "|",
                             "-H", "event_type=PaymentMade", "-H", "event_id=k-1"},
                            "payment-9|{\"amount\":42}\n", Clock::now() + 20s);
  ASSERT_FALSE(result.timed_out) << result.err;
  ASSERT_EQ(result.exit_status, 0) << result.err;

  Consumer consumer(consumer_options(broker.bootstrap_servers(), unique_name("billing")));
  consumer.subscribe({topic});
  auto received = receive(consumer, 1, Clock::now() + 20s, /*commit=*/true);
  ASSERT_EQ(received.size(), 1u);
  const auto& message = received[0];
  EXPECT_EQ(message.key(), "payment-9");
  EXPECT_EQ(message.payload(), R"({"amount":42})");
  EXPECT_EQ(message.header("event_type"), "PaymentMade");
  EXPECT_EQ(message.header("event_id"), "k-1");
  EXPECT_EQ(message.header("missing"), std::nullopt);
}

}  // namespace
}  // namespace eskit::runtime::kafka
