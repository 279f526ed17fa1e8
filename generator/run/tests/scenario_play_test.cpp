// The player against a fake system: calls through an in-process HTTP server standing in for
// the gateway, faults recorded by a fake SystemControl, and the report it prints.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <condition_variable>
#include <set>

#include "eskit/runtime/http/server.hpp"
#include "scenario_test_support.hpp"

namespace eskit::run::test {
namespace {

namespace http = runtime::http;
namespace json = boost::json;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

// A few drivercall routes: calls are made and paid, a dashboard catches up after some polls,
// payment can be told to refuse (503) or to hold requests until several are in flight, and
// its /metrics counts what a request says an inbox handled.
class FakeCalls {
 public:
  FakeCalls() {
    http::Router router;
    router.post("/handled/{consumer}/{type}", [this](http::Request& request) {
      handle(request.param("consumer"), request.param("type"));
      return http::Response::json(json::object{{"handled", request.param("type")}});
    });
    router.post("/calls", [this](http::Request& request) {
      std::lock_guard lock(mutex_);
      const int id = next_id_++;
      status_[id] = "CREATED";
      authorizations.emplace_back(request.headers().get("Authorization").value_or(""));
      bodies.push_back(request.json());
      json::object answer{{"callId", id}, {"status", "CREATED"}};
      if (const auto* mobile = request.json().as_object().if_contains("mobile"))
        answer["mobile"] = *mobile;
      auto response = http::Response::json(answer, 201);
      response.headers.set("Location", "/calls/" + std::to_string(id));
      return response;
    });
    router.post("/calls/{id}/pay", [this](http::Request& request) { return pay(request); });
    router.get("/calls/{id}", [this](http::Request& request) {
      std::lock_guard lock(mutex_);
      const int id = std::stoi(request.param("id"));
      ++gets;
      if (!status_.contains(id)) return http::Response::json(json::object{{"title", "no"}}, 404);
      return http::Response::json(json::object{{"callId", id}, {"status", status_[id]}});
    });
    router.get("/dashboards/{id}", [this](http::Request&) {
      std::lock_guard lock(mutex_);
      const bool caught_up = ++dashboard_polls >= 3;
      return http::Response::json(json::object{{"catchStatus", caught_up ? "RECEIVED" : "NONE"}});
    });
    http::ServerOptions options;
    options.worker_threads = 8;
    server_ = std::make_unique<http::Server>(std::move(router), options, metrics_);
    server_->start();
  }

  [[nodiscard]] std::string url() const {
    return "http://127.0.0.1:" + std::to_string(server_->port());
  }

  void handle(const std::string& consumer, const std::string& type) {
    metrics_
        ->counter("eskit_inbox_handled_total", "Events applied through the inbox",
                  {{"consumer", consumer}, {"event_type", type}})
        .inc();
  }

  // Payment refuses every payment after the first `n`.
  void refuse_after(int n) {
    std::lock_guard lock(mutex_);
    refuse_after_ = n;
  }
  // Payments wait until `n` are in flight at once (or a second passes).
  void hold_until(int n) {
    std::lock_guard lock(mutex_);
    hold_until_ = n;
  }

  std::mutex mutex_;
  std::vector<std::string> authorizations;
  std::vector<json::value> bodies;
  std::vector<std::string> paid;  // the ids, in arrival order
  int gets = 0;
  int dashboard_polls = 0;
  int most_in_flight = 0;

 private:
  http::Response pay(http::Request& request) {
    std::unique_lock lock(mutex_);
    paid.push_back(request.param("id"));
    ++in_flight_;
    most_in_flight = std::max(most_in_flight, in_flight_);
    changed_.notify_all();
    changed_.wait_for(lock, std::chrono::seconds(1), [&] { return in_flight_ >= hold_until_; });
    --in_flight_;
    if (refuse_after_ >= 0 && static_cast<int>(paid.size()) > refuse_after_) {
      return http::Response::json(json::object{{"detail", "try later"}}, 503);
    }
    status_[std::stoi(request.param("id"))] = "APPROVED";
    return http::Response::json(json::object{{"status", "APPROVED"}});
  }

  std::condition_variable changed_;
  std::map<int, std::string> status_;
  int next_id_ = 7;
  int refuse_after_ = -1;
  int hold_until_ = 0;
  int in_flight_ = 0;
  std::shared_ptr<http::MetricsRegistry> metrics_ = std::make_shared<http::MetricsRegistry>();
  std::unique_ptr<http::Server> server_;
};

class ScenarioPlay : public ::testing::Test {
 protected:
  ScenarioPlay() {
    system.gateway = calls.url();
    system.services["payment"] = calls.url();
  }
  Played run(const std::string& text, PlayOptions options = {}) {
    options.run_id = "r1";
    return play_text(scenario(text), system, options);
  }

  FakeCalls calls;
  FakeSystem system;
};

TEST_F(ScenarioPlay, CallsSavesAndSubstitutesKeepingTypes) {
  const auto played = run(R"(scenario: A call is made and paid
proves: [F1, F2]
steps:
  - say: The customer calls.
  - call: POST /calls
    as: {subject: "010-1", roles: [CUSTOMER]}
    body: {mobile: "010-1", payAmount: 20000, tag: "run-${run}"}
    expect:
      status: 201
      body: {status: CREATED, mobile: {$match: "^010-"}}
      headers: {Location: {$match: "^/calls/[0-9]+$"}}
    save: {callId: body.callId, location: headers.Location, code: status}
  - call: POST /calls/${callId}/pay
    as: CUSTOMER
    expect: {body: {status: APPROVED}}
  - say: Call ${callId} is paid.
  - call: POST /calls
    body: {previous: "${callId}", code: "${code}", text: "call ${callId}"}
    expect: {status: [200, 201]}
  - call: GET ${location}
    expect: {body: {callId: "${callId}", status: APPROVED}}
)");
  EXPECT_TRUE(played.held) << played.output;
  std::lock_guard lock(calls.mutex_);
  EXPECT_THAT(calls.authorizations, ElementsAre("Bearer token:010-1:CUSTOMER,", ""));
  EXPECT_EQ(calls.bodies[0], json::parse(R"({"mobile":"010-1","payAmount":20000,"tag":"run-r1"})"));
  EXPECT_EQ(calls.bodies[1], json::parse(R"({"previous":7,"code":201,"text":"call 7"})"));
  EXPECT_THAT(calls.paid, ElementsAre("7"));
  EXPECT_THAT(played.output, HasSubstr("▶ A call is made and paid  (proves F1, F2)\n"));
  EXPECT_THAT(played.output, HasSubstr("  # The customer calls.\n"));
  EXPECT_THAT(played.output, HasSubstr("  # Call 7 is paid.\n"));
  EXPECT_THAT(
      played.output,
      HasSubstr(
          "  ✓ POST /calls → 201 {\"callId\":7,\"status\":\"CREATED\",\"mobile\":\"010-1\"} · "));
  EXPECT_THAT(played.output, HasSubstr("  ✓ POST /calls/7/pay → 200 {\"status\":\"APPROVED\"} · "));
  EXPECT_THAT(played.output, HasSubstr("✓ every step held (4 steps, "));
  EXPECT_THAT(played.output, Not(HasSubstr("\x1b[")));
}

TEST_F(ScenarioPlay, StopsAtTheFirstStepThatDoesNotHoldAndShowsWhy) {
  const auto played = run(R"(scenario: s
steps:
  - call: POST /calls
    body: {mobile: "010-1"}
    save: {callId: body.callId}
  - call: GET /calls/${callId}
    expect: {body: {status: APPROVED}}
  - call: GET /calls/${callId}
)");
  EXPECT_FALSE(played.held);
  EXPECT_THAT(played.output,
              HasSubstr("  ✗ GET /calls/7 → 200 {\"callId\":7,\"status\":\"CREATED\"} · "));
  EXPECT_THAT(played.output, HasSubstr("      expected  body.status = \"APPROVED\"\n"
                                       "      got       \"CREATED\"\n"
                                       "      answer    {\n"
                                       "                  \"callId\": 7,\n"
                                       "                  \"status\": \"CREATED\"\n"
                                       "                }\n"));
  EXPECT_THAT(played.output, HasSubstr("✗ step 2 of 3 failed at s.yaml:6 ("));
  std::lock_guard lock(calls.mutex_);
  EXPECT_EQ(calls.gets, 1) << "the step after the failure did not run";
}

TEST_F(ScenarioPlay, StatusDefaultsToSuccessAndAcceptsLists) {
  auto played = run("scenario: s\nsteps:\n  - call: GET /calls/99\n");
  EXPECT_FALSE(played.held);
  EXPECT_THAT(played.output, HasSubstr("      expected  a 2xx status\n      got       404\n"));
  played = run("scenario: s\nsteps:\n  - call: GET /calls/99\n    expect: {status: [200, 404]}\n");
  EXPECT_TRUE(played.held) << played.output;
}

TEST_F(ScenarioPlay, EventuallyPollsUntilTheAnswerHolds) {
  auto played = run(R"(scenario: s
steps:
  - eventually:
      call: GET /dashboards/1
      expect: {body: {catchStatus: RECEIVED}}
    within: 5s
)");
  EXPECT_TRUE(played.held) << played.output;
  EXPECT_THAT(
      played.output,
      HasSubstr(
          "✓ eventually GET /dashboards/1 → 200 {\"catchStatus\":\"RECEIVED\"} after 3 tries"));

  played = run(R"(scenario: s
steps:
  - eventually: {call: GET /dashboards/1, expect: {body: {catchStatus: CAUGHT}}}
    within: 300ms
)");
  EXPECT_FALSE(played.held);
  EXPECT_THAT(played.output, HasSubstr("      waited    300ms, "));
  EXPECT_THAT(played.output, HasSubstr("      expected  body.catchStatus = \"CAUGHT\"\n"
                                       "      got       \"RECEIVED\"\n"));
}

TEST_F(ScenarioPlay, DrivesTheSystem) {
  const std::string faults = R"(scenario: s
steps:
  - stop: caller
  - kill: payment
  - start: payment
  - restart: catcher
  - scale: {payment: 2, caller: 3}
  - slow: {payment: 900ms}
  - configure: {catcher: {ESKIT_CATCHER_SERVICE_AREA: [kangnam, mapo]}}
  - broker: down
  - broker: up
  - settle: 2s
)";
  auto played = run(faults);
  EXPECT_TRUE(played.held) << played.output;
  EXPECT_THAT(system.operations(),
              ElementsAre("stop caller", "kill payment", "start payment", "restart catcher",
                          "scale payment 2", "scale caller 3", "slow payment 900",
                          "configure catcher ESKIT_CATCHER_SERVICE_AREA=kangnam,mapo",
                          "broker down", "broker up", "settle 2000"));
  EXPECT_THAT(played.output, HasSubstr("  ✓ kill payment → killed · "));
  EXPECT_THAT(played.output, HasSubstr("  ✓ slow payment by 900ms · "));

  system.refuse = "start payment";
  played = run(faults);
  EXPECT_FALSE(played.held);
  EXPECT_THAT(played.output, HasSubstr("  ✗ start payment · "));
  EXPECT_THAT(played.output, HasSubstr("      cannot    start payment: did not happen in time\n"));
}

TEST_F(ScenarioPlay, SharesWorkHoldsOnlyWhenEveryReplicaHandledEvents) {
  const std::string text = "scenario: s\nsteps:\n  - shares_work: dashboard\n";
  system.handled["dashboard"] = {{"dashboard", 37}, {"dashboard#2", 27}};
  auto played = run(text);
  EXPECT_TRUE(played.held) << played.output;
  EXPECT_THAT(played.output, HasSubstr("  ✓ shares_work dashboard → dashboard handled 37, "
                                       "dashboard#2 handled 27 · "));

  system.handled["dashboard"] = {{"dashboard", 64}, {"dashboard#2", 0}};
  played = run(text);
  EXPECT_FALSE(played.held);
  EXPECT_THAT(played.output, HasSubstr("  ✗ shares_work dashboard → dashboard handled 64, "
                                       "dashboard#2 handled 0 · "));
  EXPECT_THAT(played.output, HasSubstr("every replica to have handled events"));

  system.handled["dashboard"] = {{"dashboard", 64}};
  played = run(text);
  EXPECT_FALSE(played.held) << "one replica shares nothing";
  EXPECT_THAT(played.output, HasSubstr("two replicas or more running"));
}

TEST_F(ScenarioPlay, RepeatsRoundsConcurrently) {
  calls.hold_until(4);
  const auto played = run(R"(scenario: s
steps:
  - repeat: 8
    concurrency: 4
    steps:
      - call: POST /calls/${i}/pay
        expect: {status: 200}
)");
  EXPECT_TRUE(played.held) << played.output;
  std::lock_guard lock(calls.mutex_);
  EXPECT_EQ(calls.most_in_flight, 4);
  EXPECT_EQ(std::set<std::string>(calls.paid.begin(), calls.paid.end()),
            (std::set<std::string>{"1", "2", "3", "4", "5", "6", "7", "8"}));
  EXPECT_THAT(played.output,
              HasSubstr("  ✓ repeat 8 (4 at once) → 8 rounds, 8 calls, 8 held, 200×8; p50 "));
}

TEST_F(ScenarioPlay, TalliesLoadInsteadOfFailingOnEachCall) {
  calls.refuse_after(3);
  auto played = run(R"(scenario: s
steps:
  - repeat: 6
    steps:
      - call: POST /calls/${i}/pay
        expect: {status: 200}
    tally: {calls: 6, held: 3, status: {"200": 3, "503": {$gte: 3}}, ms: {max: {$lte: 5000}}}
  - repeat: 2
    steps:
      - call: POST /calls
        save: {callId: body.callId}
  - call: GET /calls/${callId}
    expect: {body: {callId: 8}}
)");
  EXPECT_TRUE(played.held) << played.output;
  EXPECT_THAT(played.output, HasSubstr("→ 6 rounds, 6 calls, 3 held, 200×3, 503×3; p50 "));

  {
    std::lock_guard lock(calls.mutex_);
    calls.paid.clear();
  }
  played = run(R"(scenario: s
steps:
  - repeat: 6
    steps:
      - call: POST /calls/${i}/pay
    tally: {status: {"503": {$gte: 4}}}
)");
  EXPECT_FALSE(played.held);
  EXPECT_THAT(played.output, HasSubstr("      expected  tally.status.503 = {\"$gte\":4}\n"
                                       "      got       3\n"
                                       "      tally     {\n"));
}

TEST_F(ScenarioPlay, ARepeatWithoutTallyFailsAtItsFirstFailingRound) {
  calls.refuse_after(2);
  const auto played = run(R"(scenario: s
steps:
  - repeat: 5
    steps:
      - call: POST /calls/${i}/pay
)");
  EXPECT_FALSE(played.held);
  EXPECT_THAT(played.output, HasSubstr("  ✗ repeat 5 → 3 rounds, 3 calls, 2 held, 200×2, 503×1; "));
  EXPECT_THAT(
      played.output,
      HasSubstr("      round 3   POST /calls/3/pay (line 5) → 503 {\"detail\":\"try later\"}\n"
                "      expected  a 2xx status\n"
                "      got       503\n"));
}

TEST_F(ScenarioPlay, CallsAContextDirectly) {
  FakeCalls payment;
  system.services["payment"] = payment.url();
  const auto played =
      run("scenario: s\nsteps:\n  - call: POST /calls/5/pay\n    to: payment\n    as: CUSTOMER\n");
  EXPECT_TRUE(played.held) << played.output;
  EXPECT_THAT(played.output, HasSubstr("✓ POST /calls/5/pay (payment directly) → 200"));
  std::lock_guard lock(payment.mutex_);
  EXPECT_THAT(payment.paid, ElementsAre("5"));
}

TEST_F(ScenarioPlay, NarratesForARoom) {
  const std::string text = R"(scenario: A call is made
description: |
  The customer app sends the call.
  The caller service answers with its id.
steps:
  - say: The customer calls.
    call: POST /calls
    body: {mobile: "010-1"}
  - say: >-
      A long line of narration is wrapped for the room, so that nobody has to read a sentence
      that runs off the right edge of the projector.
)";
  PlayOptions options;
  options.narrate = true;
  auto played = run(text, options);
  EXPECT_TRUE(played.held) << played.output;
  EXPECT_THAT(played.output, HasSubstr("  The customer app sends the call.\n"
                                       "  The caller service answers with its id.\n"));
  EXPECT_THAT(played.output,
              HasSubstr("\n  » The customer calls.\n"
                        "      → POST /calls {\"mobile\":\"010-1\"}\n"
                        "      ← 201 {\"callId\":7,\"status\":\"CREATED\",\"mobile\":\"010-1\"}\n"
                        "  ✓ POST /calls → 201"));
  EXPECT_THAT(
      played.output,
      HasSubstr("\n  » A long line of narration is wrapped for the room, so that nobody has "
                "to read a sentence that\n    runs off the right edge of the projector.\n"));
  EXPECT_THAT(played.output, Not(HasSubstr("\x1b[")));
  options.color = true;
  played = run(text, options);
  EXPECT_THAT(played.output, HasSubstr("\x1b[32m✓\x1b[0m"));
}

TEST_F(ScenarioPlay, NarratesWhatTheInboxesHandledSinceTheStepBefore) {
  calls.handle("payment.cancel", "CallMade");        // before the scenario: not its story
  system.services["caller"] = "http://127.0.0.1:1";  // stopped: nothing listens there
  PlayOptions options;
  options.narrate = true;
  const auto started = std::chrono::steady_clock::now();
  const auto played = run(R"(scenario: s
steps:
  - call: POST /handled/payment.cancel/CallMade
  - repeat: 2
    steps:
      - call: POST /handled/payment.cancel/CallPaid
      - call: POST /handled/saga-tracker/CallPaid
      - call: POST /handled/payment.project/CallPaid
  - call: POST /handled/payment.project/CallPaid
  - call: POST /calls
)",
                          options);
  EXPECT_TRUE(played.held) << played.output;
  EXPECT_THAT(played.output, HasSubstr("      ↳ payment handled CallMade (cancel)\n"
                                       "  ✓ POST /handled/payment.cancel/CallMade → 200"));
  EXPECT_THAT(played.output,
              HasSubstr("      ↳ payment handled CallPaid ×2 (cancel, project, saga-tracker)\n"
                        "  ✓ repeat 2 → 2 rounds"));
  EXPECT_THAT(played.output, HasSubstr("      ↳ payment handled CallPaid (project)\n"
                                       "  ✓ POST /handled/payment.project/CallPaid → 200"));
  EXPECT_THAT(played.output, HasSubstr("      ← 201 {\"callId\":7,\"status\":\"CREATED\"}\n"
                                       "  ✓ POST /calls → 201"))
      << "nothing handled, nothing narrated";
  EXPECT_THAT(played.output, Not(HasSubstr("caller handled")));
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(2))
      << "a context that does not answer holds nothing up";

  options.narrate = false;
  const auto quiet =
      run("scenario: s\nsteps:\n  - call: POST /handled/payment.cancel/CallMade\n", options);
  EXPECT_THAT(quiet.output, Not(HasSubstr("↳")));
}

TEST_F(ScenarioPlay, RefusesContextsTheSystemLacks) {
  const Scenario s = scenario("scenario: s\nsteps:\n  - kill: paymnt\n", {});
  try {
    play_text(s, system);
    ADD_FAILURE() << "played against a system without the context";
  } catch (const ScenarioError& error) {
    EXPECT_THAT(error.lines(), ElementsAre("s.yaml:3:11: error: the system has no context "
                                           "'paymnt'; did you mean 'payment'?"));
  }
  EXPECT_TRUE(system.operations().empty());
}

TEST_F(ScenarioPlay, ReportsAServiceThatDoesNotAnswer) {
  system.gateway = "http://127.0.0.1:1";
  const auto played = run("scenario: s\nsteps:\n  - call: GET /calls/1\n");
  EXPECT_FALSE(played.held);
  EXPECT_THAT(played.output, HasSubstr("  ✗ GET /calls/1 → no answer (connection_refused"));
}

}  // namespace
}  // namespace eskit::run::test
