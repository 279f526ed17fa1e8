// Event expectations against the embedded broker: a fake service publishes envelopes the way
// the outbox relay does (headers and JSON body, keyed by aggregate, to `<context>.events`),
// and the player's own consumer reads them from the beginning.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "eskit/runtime/http/server.hpp"
#include "eskit/runtime/kafka/embedded_broker.hpp"
#include "eskit/runtime/kafka/producer.hpp"
#include "eskit/runtime/messaging/envelope.hpp"
#include "scenario_test_support.hpp"

namespace eskit::run::test {
namespace {

namespace http = runtime::http;
namespace kafka = runtime::kafka;
namespace messaging = runtime::messaging;
namespace json = boost::json;
using ::testing::HasSubstr;

// Cancelling a call publishes PaymentCancelled, delivered twice as a relay that crashed
// between acknowledgement and marking would (same event id), and a CallCancelled of caller.
class CancellingService {
 public:
  explicit CancellingService(const std::string& bootstrap)
      : producer_(options(bootstrap), [](const auto&) {}) {
    http::Router router;
    router.post("/calls/{id}/cancel", [this](http::Request& request) {
      const std::string id = request.param("id");
      const json::object data{{"callId", std::stoi(id)}, {"paymentId", "p-" + id}};
      const auto payment = messaging::Envelope::make("PaymentCancelled", "payment", "p-" + id,
                                                     json::serialize(data));
      publish(payment, "payment.events");
      publish(payment, "payment.events");
      publish(messaging::Envelope::make("CallCancelled", "caller", id,
                                        json::serialize(json::object{{"callId", std::stoi(id)}})),
              "caller.events");
      if (!producer_.flush(std::chrono::steady_clock::now() + std::chrono::seconds(10)))
        return http::Response::json(json::object{{"detail", "not published"}}, 500);
      return http::Response::json(json::object{{"status", "CANCELLED"}});
    });
    router.get("/payments/{id}", [](http::Request& request) {
      return http::Response::json(json::object{{"paymentId", request.param("id")}});
    });
    server_ = std::make_unique<http::Server>(std::move(router));
    server_->start();
  }

  [[nodiscard]] std::string url() const {
    return "http://127.0.0.1:" + std::to_string(server_->port());
  }

 private:
  static kafka::ClientOptions options(const std::string& bootstrap) {
    kafka::ClientOptions options;
    options.bootstrap_servers = bootstrap;
    return options;
  }

  void publish(const messaging::Envelope& envelope, const std::string& topic) {
    auto encoded = messaging::encode(envelope);
    producer_.produce({topic, encoded.key, encoded.body, encoded.headers, 0});
  }

  kafka::Producer producer_;
  std::unique_ptr<http::Server> server_;
};

class ScenarioEvents : public ::testing::Test {
 protected:
  ScenarioEvents() {
    for (const auto& context : drivercall) broker.create_topic({context + ".events", 2});
    system.bootstrap = broker.bootstrap_servers();
    system.gateway = service.url();
  }

  Played run(const std::string& text, PlayOptions options = {}) {
    options.default_within = std::chrono::seconds(15);
    return play_text(scenario(text), system, options);
  }

  kafka::EmbeddedBroker broker;
  CancellingService service{broker.bootstrap_servers()};
  FakeSystem system;
};

TEST_F(ScenarioEvents, WaitsForEventsCountsThemAndSavesFromThem) {
  const auto played = run(R"(scenario: cancelling a call cancels its payment once
steps:
  - call: POST /calls/7/cancel
  - event: payment.PaymentCancelled
    where: {callId: 7}
    save: {paymentId: event.paymentId}
  - call: GET /payments/${paymentId}
    expect: {body: {paymentId: p-7}}
  - settle: 5s
  - event: payment.PaymentCancelled
    where: {callId: 7}
    count: 1
  - event: caller.CallCancelled
    count: {$gte: 1}
  - no_event: payment.PaymentCancelled
    where: {callId: 8}
  - no_event: caller.CallDenied
)");
  EXPECT_TRUE(played.held) << played.output;
  EXPECT_THAT(played.output,
              HasSubstr("  ✓ event payment.PaymentCancelled {\"callId\":7} → published "
                        "{\"callId\":7,\"paymentId\":\"p-7\"} · "));
  EXPECT_THAT(played.output, HasSubstr("  ✓ GET /payments/p-7 → 200"));
  EXPECT_THAT(played.output,
              HasSubstr("  ✓ event payment.PaymentCancelled {\"callId\":7} → 1 published (2 copies "
                        "on the wire, duplicates share an id) · "));
  EXPECT_THAT(played.output, HasSubstr("  ✓ no_event caller.CallDenied → none published · "));
}

TEST_F(ScenarioEvents, ShowsTheNearestMissWhenNoEventMatches) {
  auto played = run(R"(scenario: s
steps:
  - call: POST /calls/7/cancel
  - event: payment.PaymentCancelled
    where: {callId: 8}
    within: 1s
)");
  EXPECT_FALSE(played.held);
  EXPECT_THAT(played.output, HasSubstr("  ✗ event payment.PaymentCancelled {\"callId\":8} → not "
                                       "published · "));
  EXPECT_THAT(played.output,
              HasSubstr("      waited    1s\n"
                        "      got       2 PaymentCancelled events, none matching; the last:\n"
                        "      event     {\n"
                        "                  \"callId\": 7,\n"));
  EXPECT_THAT(played.output, HasSubstr("      differs   event.callId: expected 8, got 7\n"));

  played = run(R"(scenario: s
steps:
  - event: payment.PaymentCancelled
    count: 2
  - no_event: caller.CallCancelled
)");
  EXPECT_FALSE(played.held);
  EXPECT_THAT(played.output, HasSubstr("      expected  count = 2\n      got       1\n"));

  played = run("scenario: s\nsteps:\n  - no_event: caller.CallCancelled\n");
  EXPECT_FALSE(played.held);
  EXPECT_THAT(played.output, HasSubstr("  ✗ no_event caller.CallCancelled → published · "));
}

TEST_F(ScenarioEvents, NarrationSaysWhoPublishedWhat) {
  PlayOptions options;
  options.narrate = true;
  const auto played = run(R"(scenario: s
steps:
  - call: POST /calls/9/cancel
  - event: caller.CallCancelled
    where: {callId: 9}
  - event: payment.PaymentCancelled
    where: {callId: 9}
)",
                          options);
  EXPECT_TRUE(played.held) << played.output;
  EXPECT_THAT(played.output, HasSubstr("      ⚡ caller published CallCancelled {\"callId\":9}\n"));
  EXPECT_THAT(
      played.output,
      HasSubstr(
          "      ⚡ payment published PaymentCancelled {\"callId\":9,\"paymentId\":\"p-9\"}\n"));
}

}  // namespace
}  // namespace eskit::run::test
