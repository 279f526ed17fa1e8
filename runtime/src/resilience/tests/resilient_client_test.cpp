// The composed client: first against a scripted transport on a ManualClock, then against a
// real http::Server.
#include "eskit/runtime/resilience/resilient_client.hpp"

#include <gtest/gtest.h>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <atomic>
#include <deque>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <vector>

#include "eskit/runtime/http/metrics.hpp"
#include "eskit/runtime/http/request.hpp"
#include "eskit/runtime/http/response.hpp"
#include "test_server.hpp"

namespace eskit::runtime::resilience {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

http::CallResult status(int code, std::string body = {}) {
  http::ClientResponse response;
  response.status = code;
  response.body = std::move(body);
  return response;
}

http::CallResult error(http::ClientErrc code) { return http::ClientError{code, "scripted"}; }

// Answers from a script (the last answer repeats), taking `takes` of clock time per request.
struct Script {
  Script(ManualClock& clock_, std::deque<http::CallResult> answers_)
      : clock(clock_), answers(std::move(answers_)) {}

  ManualClock& clock;
  std::deque<http::CallResult> answers;
  milliseconds takes{10};
  std::vector<http::ClientRequest> seen;

  Transport transport() {
    return [this](const http::ClientRequest& request) {
      seen.push_back(request);
      clock.advance(takes);
      auto answer = answers.front();
      if (answers.size() > 1) answers.pop_front();
      return answer;
    };
  }
};

RelationConfig relation() {
  RelationConfig config;
  config.name = "dispatch.pay";
  config.timeout = seconds{1};
  config.retry = {.max_attempts = 3,
                  .initial_backoff = milliseconds{10},
                  .multiplier = 2,
                  .max_backoff = milliseconds{100},
                  .jitter = Jitter::none};
  return config;
}

CircuitBreakerConfig two_failures_open() {
  CircuitBreakerConfig breaker;
  breaker.window_size = 2;
  breaker.minimum_calls = 2;
  breaker.wait_in_open = seconds{30};
  breaker.permitted_calls_in_half_open = 1;
  return breaker;
}

TEST(ResilientClient, RetriesARetryableFailureUntilItSucceeds) {
  ManualClock clock;
  Script callee{clock,
                {status(503), error(http::ClientErrc::connection_refused), status(200, "ok")}};
  ResilientClient client{relation(), callee.transport(), clock};
  auto answer = client.call(http::ClientRequest::get("http://payment/pay"));
  ASSERT_TRUE(answer.result);
  EXPECT_EQ(answer.result->body, "ok");
  EXPECT_EQ(answer.outcome, CallOutcome::success);
  EXPECT_FALSE(answer.from_fallback);
  EXPECT_EQ(answer.attempts, 3);
  EXPECT_EQ(clock.sleeps(), (std::vector<Clock::duration>{milliseconds{10}, milliseconds{20}}));
}

TEST(ResilientClient, SendsEachAttemptItsShareOfTheTimeout) {
  ManualClock clock;
  auto config = relation();
  config.timeout = milliseconds{900};
  config.retry.initial_backoff = milliseconds{0};
  Script callee{clock, {error(http::ClientErrc::timeout)}};
  callee.takes = milliseconds{300};  // each attempt times out
  ResilientClient client{config, callee.transport(), clock};
  auto answer = client.call(http::ClientRequest::get("http://payment/pay"));
  EXPECT_EQ(answer.outcome, CallOutcome::failure);
  ASSERT_EQ(callee.seen.size(), 3u);
  for (const auto& request : callee.seen) EXPECT_EQ(request.timeout, milliseconds{300});
}

TEST(ResilientClient, DoesNotRetryAClientErrorOrA500) {
  for (int code : {400, 404, 409, 500}) {
    ManualClock clock;
    Script callee{clock, {status(code)}};
    ResilientClient client{relation(), callee.transport(), clock};
    auto answer = client.call(http::ClientRequest::get("http://payment/pay"));
    EXPECT_EQ(answer.attempts, 1) << code;
    EXPECT_EQ(answer.outcome, code >= 500 ? CallOutcome::failure : CallOutcome::success);
  }
}

TEST(ResilientClient, RetriesAPostOnlyWhenTheCalleeSurelyDidNotAct) {
  auto attempts = [](http::CallResult first, bool unsafe_too) {
    ManualClock clock;
    auto config = relation();
    config.retry_non_idempotent = unsafe_too;
    Script callee{clock, {std::move(first), status(201)}};
    ResilientClient client{config, callee.transport(), clock};
    return client.call(http::ClientRequest::json("POST", "http://payment/pay", {})).attempts;
  };
  EXPECT_EQ(attempts(error(http::ClientErrc::connection_refused), false), 2);
  EXPECT_EQ(attempts(error(http::ClientErrc::host_not_found), false), 2);
  EXPECT_EQ(attempts(status(503), false), 2);
  EXPECT_EQ(attempts(error(http::ClientErrc::timeout), false), 1);
  EXPECT_EQ(attempts(error(http::ClientErrc::connection_failed), false), 1);
  EXPECT_EQ(attempts(status(502), false), 1);
  EXPECT_EQ(attempts(status(504), false), 1);
  EXPECT_EQ(attempts(error(http::ClientErrc::timeout), true), 2);
  EXPECT_EQ(attempts(status(504), true), 2);
  EXPECT_EQ(attempts(error(http::ClientErrc::invalid_url), true), 1);
  EXPECT_EQ(attempts(error(http::ClientErrc::protocol_error), true), 1);
}

TEST(ResilientClient, OpensTheBreakerAndThenAnswersFromTheFallbackWithoutCalling) {
  ManualClock clock;
  http::MetricsRegistry registry;
  auto config = relation();
  config.retry.max_attempts = 1;
  config.breaker = two_failures_open();
  config.fallback = {.kind = FallbackKind::fixed, .fixed_body = R"({"approved":false})"};
  Script callee{clock, {status(500)}};
  ResilientClient client{config, callee.transport(), clock, &registry};
  auto request = http::ClientRequest::get("http://payment/pay");

  for (int i = 0; i < 2; ++i) {
    auto failed = client.call(request);
    EXPECT_EQ(failed.outcome, CallOutcome::failure);
    EXPECT_TRUE(failed.from_fallback);
  }
  ASSERT_EQ(client.breaker()->state(), BreakerState::open);

  auto rejected = client.call(request);
  EXPECT_EQ(rejected.outcome, CallOutcome::breaker_open);
  EXPECT_TRUE(rejected.from_fallback);
  EXPECT_EQ(rejected.attempts, 0);
  EXPECT_EQ(rejected.result->body, R"({"approved":false})");
  EXPECT_EQ(callee.seen.size(), 2u);
  EXPECT_EQ(registry
                .counter("eskit_breaker_calls_total", "",
                         {{"breaker", "dispatch.pay"}, {"outcome", "rejected"}})
                .value(),
            1);
}

TEST(ResilientClient, TheRejectFallbackTellsWhenToTryAgain) {
  ManualClock clock;
  auto config = relation();
  config.retry.max_attempts = 1;
  config.breaker = two_failures_open();
  config.fallback = {.kind = FallbackKind::reject, .message = "Payment: please try later."};
  Script callee{clock, {status(500)}};
  ResilientClient client{config, callee.transport(), clock};
  auto request = http::ClientRequest::get("http://payment/pay");
  (void)client.call(request);
  (void)client.call(request);
  clock.advance(seconds{20});
  auto rejected = client.call(request);
  EXPECT_EQ(rejected.result->status, 503);
  EXPECT_EQ(rejected.result->headers.get("Retry-After"), "10");  // of the 30 s wait
  EXPECT_NE(rejected.result->body.find("Payment: please try later."), std::string::npos);
}

TEST(ResilientClient, WithoutAFallbackFailuresPassThroughAsTheyAre) {
  ManualClock clock;
  auto config = relation();
  config.retry.max_attempts = 1;
  Script callee{clock, {error(http::ClientErrc::connection_refused), status(502, "bad gateway")}};
  ResilientClient client{config, callee.transport(), clock};
  auto refused = client.call(http::ClientRequest::get("http://payment/pay"));
  ASSERT_FALSE(refused.result);
  EXPECT_EQ(refused.result.error().code, http::ClientErrc::connection_refused);
  EXPECT_FALSE(refused.from_fallback);
  auto bad = client.call(http::ClientRequest::get("http://payment/pay"));
  EXPECT_EQ(bad.result->body, "bad gateway");
  EXPECT_EQ(bad.outcome, CallOutcome::failure);
}

TEST(ResilientClient, TheCachedFallbackAnswersTheLastGoodValue) {
  ManualClock clock;
  auto config = relation();
  config.retry.max_attempts = 1;
  config.fallback = {.kind = FallbackKind::cached};
  Script callee{clock, {status(200, R"({"balance":10})"), status(500)}};
  ResilientClient client{config, callee.transport(), clock};
  auto request = http::ClientRequest::get("http://payment/balance/7");
  EXPECT_FALSE(client.call(request).from_fallback);
  auto stale = client.call(request);
  EXPECT_EQ(stale.outcome, CallOutcome::failure);
  EXPECT_TRUE(stale.from_fallback);
  EXPECT_EQ(stale.result->body, R"({"balance":10})");
}

TEST(ResilientClient, RejectsWhenTheBulkheadIsFull) {
  ManualClock clock;
  auto config = relation();
  config.bulkhead = BulkheadConfig{.max_concurrent_calls = 1};
  std::optional<ResilientClient> client;
  std::optional<ResilientResult> inner;
  // The callee calls the relation again while the first call holds the only slot.
  client.emplace(
      config,
      [&](const http::ClientRequest& request) {
        if (!inner) inner = client->call(request);
        return status(200);
      },
      clock);
  auto outer = client->call(http::ClientRequest::get("http://payment/pay"));
  EXPECT_EQ(outer.outcome, CallOutcome::success);
  ASSERT_TRUE(inner);
  EXPECT_EQ(inner->outcome, CallOutcome::bulkhead_full);
  EXPECT_EQ(inner->result->status, 503);
  EXPECT_EQ(client->call(http::ClientRequest::get("http://payment/pay")).outcome,
            CallOutcome::success);  // the slot came back
}

TEST(ResilientClient, RejectsOverTheRateLimit) {
  ManualClock clock;
  http::MetricsRegistry registry;
  auto config = relation();
  config.rate_limit = RateLimiterConfig{.limit_for_period = 2, .period = seconds{1}};
  Script callee{clock, {status(200)}};
  callee.takes = milliseconds{0};
  ResilientClient client{config, callee.transport(), clock, &registry};
  auto request = http::ClientRequest::get("http://payment/pay");
  EXPECT_EQ(client.call(request).outcome, CallOutcome::success);
  EXPECT_EQ(client.call(request).outcome, CallOutcome::success);
  auto limited = client.call(request);
  EXPECT_EQ(limited.outcome, CallOutcome::rate_limited);
  EXPECT_EQ(limited.result->status, 503);
  EXPECT_EQ(callee.seen.size(), 2u);
  EXPECT_EQ(
      registry
          .counter("eskit_rate_limiter_rejections_total", "", {{"rate_limiter", "dispatch.pay"}})
          .value(),
      1);
}

TEST(ResilientClient, MakesNoCallWhenTheCallersDeadlineHasPassed) {
  ManualClock clock;
  auto config = relation();
  config.breaker = two_failures_open();
  Script callee{clock, {status(200)}};
  ResilientClient client{config, callee.transport(), clock};
  auto answer = client.call(http::ClientRequest::get("http://payment/pay"),
                            std::chrono::system_clock::now() - seconds{1});
  EXPECT_EQ(answer.outcome, CallOutcome::failure);
  EXPECT_EQ(answer.attempts, 0);
  ASSERT_FALSE(answer.result);
  EXPECT_EQ(answer.result.error().code, http::ClientErrc::timeout);
  EXPECT_TRUE(callee.seen.empty());
  EXPECT_EQ(client.breaker()->snapshot().calls, 0);
}

TEST(ResilientClient, ACallThatThrowsGivesBackItsBreakerAndBulkheadSlots) {
  ManualClock clock;
  auto config = relation();
  config.retry.max_attempts = 1;
  config.breaker = two_failures_open();
  config.bulkhead = BulkheadConfig{.max_concurrent_calls = 1};
  bool throws = false;
  auto transport = [&](const http::ClientRequest&) -> http::CallResult {
    if (throws) throw std::runtime_error("transport broke");
    return status(500);
  };
  ResilientClient client{config, transport, clock};
  auto request = http::ClientRequest::get("http://payment/pay");
  (void)client.call(request);
  (void)client.call(request);
  clock.advance(seconds{30});
  throws = true;
  EXPECT_THROW((void)client.call(request), std::runtime_error);  // the one trial call
  EXPECT_EQ(client.breaker()->state(), BreakerState::half_open);
  throws = false;
  auto trial = client.call(request);  // neither the trial slot nor the bulkhead slot leaked
  EXPECT_EQ(trial.outcome, CallOutcome::failure);
  EXPECT_EQ(client.breaker()->state(), BreakerState::open);
}

TEST(ResilientClient, NamesItsOutcomes) {
  EXPECT_EQ(to_string(CallOutcome::success), "success");
  EXPECT_EQ(to_string(CallOutcome::failure), "failure");
  EXPECT_EQ(to_string(CallOutcome::breaker_open), "breaker_open");
  EXPECT_EQ(to_string(CallOutcome::bulkhead_full), "bulkhead_full");
  EXPECT_EQ(to_string(CallOutcome::rate_limited), "rate_limited");
}

// Against a real server: a handler that fails, or holds the call, on demand.
class OverHttp : public ::testing::Test {
 protected:
  OverHttp() {
    http::Router router;
    router.post("/pay", [this](http::Request& request) {
      handled.fetch_add(1);
      {
        std::lock_guard lock(mutex);
        deadlines.push_back(request.deadline());
      }
      if (hold) release.wait();
      if (failing) return http::Response::text("down", 500);
      return http::Response::json(boost::json::object{{"approved", true}});
    });
    server = std::make_unique<http::test::TestServer>(std::move(router));
  }

  std::atomic<bool> failing{false};
  std::atomic<bool> hold{false};
  http::test::Gate release;
  std::atomic<int> handled{0};
  std::mutex mutex;
  std::vector<std::optional<std::chrono::system_clock::time_point>> deadlines;
  std::unique_ptr<http::test::TestServer> server;
  http::Client http_client;
};

TEST_F(OverHttp, TheCalleeReceivesADeadlineWithinTheCallersTime) {
  auto config = relation();
  config.timeout = seconds{10};
  config.retry.max_attempts = 1;
  ResilientClient client{config, http_transport(http_client)};
  auto caller_deadline = std::chrono::system_clock::now() + seconds{2};
  auto answer =
      client.call(http::ClientRequest::json("POST", server->url("/pay"), boost::json::object{}),
                  caller_deadline);
  ASSERT_TRUE(answer.result) << answer.result.error().message;
  EXPECT_EQ(answer.result->status, 200);

  std::lock_guard lock(mutex);
  ASSERT_EQ(deadlines.size(), 1u);
  ASSERT_TRUE(deadlines[0]);
  EXPECT_LE(*deadlines[0], caller_deadline);
  EXPECT_GT(*deadlines[0], caller_deadline - milliseconds{500});
}

TEST_F(OverHttp, EachAttemptsDeadlineIsItsShareOfTheTimeout) {
  auto config = relation();
  config.timeout = seconds{3};
  auto before = std::chrono::system_clock::now();
  ResilientClient client{config, http_transport(http_client)};
  (void)client.call(http::ClientRequest::json("POST", server->url("/pay"), boost::json::object{}));
  std::lock_guard lock(mutex);
  ASSERT_EQ(deadlines.size(), 1u);
  ASSERT_TRUE(deadlines[0]);
  // Three attempts allowed: the first gets a third of the 3 s.
  EXPECT_LE(*deadlines[0], std::chrono::system_clock::now() + seconds{1});
  EXPECT_GT(*deadlines[0], before + milliseconds{500});
}

TEST_F(OverHttp, TheBreakerOpensAfterFailuresAndRejectionsAreFast) {
  failing = true;
  auto config = relation();
  config.retry.max_attempts = 1;
  config.breaker = two_failures_open();
  config.fallback = {.kind = FallbackKind::reject, .message = "Payment: please try later."};
  http::MetricsRegistry registry;
  ResilientClient client{config, http_transport(http_client), Clock::system(), &registry};
  auto pay = http::ClientRequest::json("POST", server->url("/pay"), boost::json::object{});

  for (int i = 0; i < 2; ++i) EXPECT_EQ(client.call(pay).outcome, CallOutcome::failure);
  ASSERT_EQ(client.breaker()->state(), BreakerState::open);

  auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < 100; ++i) {
    auto rejected = client.call(pay);
    ASSERT_EQ(rejected.outcome, CallOutcome::breaker_open);
    ASSERT_EQ(rejected.result->status, 503);
  }
  auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(handled.load(), 2);           // no rejected call reached the callee
  EXPECT_LT(elapsed, milliseconds{500});  // generous: a hundred rejections without I/O
  EXPECT_NE(registry.render().find(
                "eskit_breaker_calls_total{breaker=\"dispatch.pay\",outcome=\"rejected\"} 100\n"),
            std::string::npos);
}

TEST_F(OverHttp, ASlowCalleeTimesOutAtTheRelationsTimeout) {
  hold = true;
  auto config = relation();
  config.timeout = milliseconds{300};
  config.retry.max_attempts = 1;
  ResilientClient client{config, http_transport(http_client)};
  auto start = std::chrono::steady_clock::now();
  auto answer =
      client.call(http::ClientRequest::json("POST", server->url("/pay"), boost::json::object{}));
  auto elapsed = std::chrono::steady_clock::now() - start;
  release.open();
  ASSERT_FALSE(answer.result);
  EXPECT_EQ(answer.result.error().code, http::ClientErrc::timeout);
  EXPECT_GE(elapsed, milliseconds{290});  // the attempt's time is whole milliseconds, rounded down
  EXPECT_LT(elapsed, seconds{3});
}

}  // namespace
}  // namespace eskit::runtime::resilience
