// Loading scenario files: what a valid file becomes, and every mistake reported at once with
// its position, before anything runs.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>

#include <filesystem>
#include <fstream>
#include <regex>

#include "scenario_test_support.hpp"

namespace eskit::run::test {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

// A file using most of the format, setup included.
constexpr const char* documented = R"(scenario: A cancelled call cancels its payment and its catch
proves: [F6, F7, N1]
setup: {postgres: true, replicas: {payment: 2}, config: {catcher: {ESKIT_CATCHER_SERVICE_AREA: [kangnam, mapo]}}}
steps:
  - say: The customer asks for a driver in Gangnam and pays the quoted fare.
  - call: POST /calls
    as: {subject: "010-1234-5678", roles: [CUSTOMER]}
    body: {mobile: "010-1234-5678", location: kangnam, payType: CARD, payAmount: 20000}
    expect:
      status: 201
      body: {status: CREATED}
    save: {callId: body.callId}
  - call: POST /calls/payCall/${callId}
    as: CUSTOMER
    expect: {status: 200, body: {status: APPROVED}}
  - eventually:
      call: GET /dashboards/${callId}
      as: CUSTOMER
      expect: {status: 200, body: {catchStatus: RECEIVED}}
    within: 20s
  - event: payment.PaymentCancelled
    where: {callId: "${callId}"}
    within: 20s
  - settle: 30s
  - event: payment.PaymentCancelled
    where: {callId: "${callId}"}
    count: 1
)";

TEST(ScenarioLoad, ReadsTheDocumentedExample) {
  const Scenario s = scenario(documented);
  EXPECT_EQ(s.title(), "A cancelled call cancels its payment and its catch");
  EXPECT_THAT(s.proves(), ElementsAre("F6", "F7", "N1"));
  EXPECT_TRUE(s.setup().postgres);
  EXPECT_EQ(s.setup().replicas.at("payment"), 2);
  EXPECT_EQ(s.setup().config.at("catcher").at("ESKIT_CATCHER_SERVICE_AREA"), "kangnam,mapo");
  EXPECT_THAT(s.contexts(), ElementsAre("catcher", "payment"));
  const auto& steps = s.data().steps;
  ASSERT_EQ(steps.size(), 7u);
  EXPECT_TRUE(std::holds_alternative<SayStep>(steps[0].action));
  const auto& make = std::get<CallStep>(steps[1].action).call;
  EXPECT_EQ(make.method, "POST");
  EXPECT_EQ(make.target, "/calls");
  EXPECT_EQ(make.as->subject, Json("010-1234-5678"));
  // Plain scalars take their YAML type; quoted ones stay text.
  EXPECT_EQ(
      boost::json::serialize(*make.body),
      R"({"mobile":"010-1234-5678","location":"kangnam","payType":"CARD","payAmount":20000})");
  EXPECT_EQ(make.save.size(), 1u);
  EXPECT_EQ(std::get<CallStep>(steps[2].action).call.as->subject, Json("scenario"));
  EXPECT_EQ(std::get<EventuallyStep>(steps[3].action).within, std::chrono::seconds(20));
  EXPECT_EQ(std::get<SettleStep>(steps[5].action).deadline, std::chrono::seconds(30));
  EXPECT_EQ(std::get<EventStep>(steps[6].action).count, Json(1));
  EXPECT_EQ(steps[1].where.line, 6u);
  EXPECT_TRUE(s.data().reads_events);
}

TEST(ScenarioLoad, EveryExampleOfTheReferenceLoads) {
  std::ifstream in(ESKIT_SCENARIO_DOC);
  std::string line;
  std::string block;
  int examples = 0;
  bool inside = false;
  while (std::getline(in, line)) {
    if (!inside && line == "```yaml") {
      inside = true;
      block.clear();
    } else if (inside && line == "```") {
      inside = false;
      ++examples;
      EXPECT_THAT(problems(block), IsEmpty()) << block;
    } else if (inside) {
      block += line + "\n";
    }
  }
  EXPECT_EQ(examples, 4);
}

TEST(ScenarioLoad, SuggestsTheKeyAMisspeltOneMeant) {
  EXPECT_THAT(problems("scenario: s\nsteps:\n  - evnt: payment.PaymentCancelled\n"),
              ElementsAre("s.yaml:3:5: error: unknown step key 'evnt'; did you mean 'event'?"));
  EXPECT_THAT(problems("scenario: s\nstep:\n  - settle: 1s\n"),
              ElementsAre("s.yaml:1:1: error: missing 'steps': the list of steps to play",
                          "s.yaml:2:1: error: unknown key 'step'; did you mean 'steps'?"));
  EXPECT_THAT(
      problems("scenario: s\nsteps:\n  - call: GET /x\n    expect: {staus: 200}\n"),
      ElementsAre("s.yaml:4:14: error: unknown key 'staus' in 'expect'; did you mean 'status'?"));
}

TEST(ScenarioLoad, RefusesTwoActionsInOneStep) {
  EXPECT_THAT(problems("scenario: s\nsteps:\n  - call: GET /x\n    settle: 2s\n"),
              ElementsAre("s.yaml:4:5: error: a step has one action; this one has 'call' (line 3) "
                          "and 'settle'"));
}

TEST(ScenarioLoad, RefusesAnOptionOfAnotherAction) {
  EXPECT_THAT(problems("scenario: s\nsteps:\n  - call: GET /x\n    within: 5s\n"),
              ElementsAre("s.yaml:4:5: error: 'within' is not an option of 'call'; it belongs to "
                          "event and eventually"));
  EXPECT_THAT(
      problems("scenario: s\nsteps:\n  - eventually: {call: GET /x, expect: {status: 200}}\n"
               "    as: CUSTOMER\n"),
      ElementsAre("s.yaml:4:5: error: 'as' is not an option of 'eventually'; inside eventually, "
                  "the call and its options form one map: eventually: {call: …, as: …}"));
  EXPECT_THAT(
      problems("scenario: s\nsteps:\n  - eventually: {call: GET /x, expect: {status: 200}, "
               "within: 2s}\n"),
      ElementsAre("s.yaml:3:55: error: 'within' belongs beside 'eventually', not inside its call"));
  EXPECT_THAT(problems("scenario: s\nsteps:\n  - eventually: {call: GET /x}\n"),
              ElementsAre("s.yaml:3:17: error: 'eventually' needs an 'expect': the answer it "
                          "waits for"));
  EXPECT_THAT(problems("scenario: s\nsteps:\n  - within: 5s\n"),
              ElementsAre("s.yaml:3:5: error: 'within' without an action: a step with it needs "
                          "event or eventually"));
}

TEST(ScenarioLoad, ReportsBadDurations) {
  EXPECT_THAT(
      problems("scenario: s\nsteps:\n  - settle: 30\n  - event: caller.CallMade\n    within: "
               "2 min\n  - slow: {payment: 1.5s}\n"),
      ElementsAre("s.yaml:3:13: error: '30' is not a duration; write a whole number and ms, s or "
                  "m, such as 900ms, 20s or 2m",
                  "s.yaml:5:13: error: '2 min' is not a duration; write a whole number and ms, s "
                  "or m, such as 900ms, 20s or 2m",
                  "s.yaml:6:21: error: '1.5s' is not a duration; write a whole number and ms, s "
                  "or m, such as 900ms, 20s or 2m"));
}

TEST(ScenarioLoad, ReportsBadCallSyntax) {
  EXPECT_THAT(
      problems("scenario: s\nsteps:\n  - call: /calls\n  - call: get /calls\n  - call: GET "
               "calls\n  - call: FETCH /calls\n"),
      ElementsAre(
          "s.yaml:3:11: error: write a call as METHOD /path, such as 'GET /calls/${callId}'",
          "s.yaml:4:11: error: unknown HTTP method 'get'; write it in capitals: GET",
          "s.yaml:5:11: error: write a call as METHOD /path, such as 'GET /calls/${callId}'",
          "s.yaml:6:11: error: unknown HTTP method 'FETCH'; use GET, POST, PUT, PATCH, DELETE, "
          "HEAD or OPTIONS"));
}

TEST(ScenarioLoad, ReportsTheShapeOfAs) {
  EXPECT_THAT(
      problems("scenario: s\nsteps:\n  - call: GET /x\n    as: [CUSTOMER]\n  - call: GET /x\n  "
               "  as: {subjet: a, roles: [CUSTOMER]}\n  - call: GET /x\n    as: {subject: a, "
               "roles: {CUSTOMER: 1}}\n"),
      ElementsAre("s.yaml:4:9: error: 'as' is a role name, such as CUSTOMER, or {subject: …, "
                  "roles: […]}",
                  "s.yaml:6:9: error: 'as' needs a subject: whom the token names",
                  "s.yaml:6:10: error: unknown key 'subjet' in 'as'; did you mean 'subject'?",
                  "s.yaml:8:29: error: 'roles' is a list of role names, such as [CUSTOMER]"));
}

TEST(ScenarioLoad, ReportsVariablesWithoutAValue) {
  EXPECT_THAT(problems(R"(scenario: s
steps:
  - call: GET /calls/${callId}
  - call: POST /calls
    save: {callId: body.callId}
  - call: GET /calls/${calId}
  - repeat: 2
    steps:
      - call: POST /calls/${i}/${last}
        save: {last: body.callId}
  - call: GET /calls/${last}/${i}
  - call: GET /calls/${call-id}/${oops
)"),
              ElementsAre("s.yaml:3:22: error: '${callId}' is used before the save at line 5 "
                          "defines it",
                          "s.yaml:6:22: error: '${calId}' is used but no step saves it; did you "
                          "mean 'callId'?",
                          "s.yaml:9:32: error: '${last}' is used before the save at line 10 "
                          "defines it",
                          "s.yaml:11:30: error: '${i}' is the round number of a repeat; it exists "
                          "only in a repeat's steps",
                          "s.yaml:12:22: error: '${call-id}' is not a variable name; names are "
                          "letters, digits and '_'"));
}

TEST(ScenarioLoad, KnowsTheContextsOfTheModel) {
  EXPECT_THAT(
      problems("scenario: s\nsteps:\n  - kill: paymnt\n  - event: catchr.CallReceived\n  - call: "
               "GET /x\n    to: dashbord\n  - scale: {caller: 2, payments: 3}\n  - shares_work: "
               "dashbord\n"),
      ElementsAre("s.yaml:3:11: error: unknown context 'paymnt'; did you mean 'payment'?",
                  "s.yaml:4:12: error: unknown context 'catchr'; did you mean 'catcher'?",
                  "s.yaml:6:9: error: unknown context 'dashbord'; did you mean 'dashboard'?",
                  "s.yaml:7:24: error: unknown context 'payments'; did you mean 'payment'?",
                  "s.yaml:8:18: error: unknown context 'dashbord'; did you mean 'dashboard'?"));
  // Without the model's contexts, play() checks them against the running system.
  EXPECT_THAT(problems("scenario: s\nsteps:\n  - kill: paymnt\n", {}), IsEmpty());
}

TEST(ScenarioLoad, RefusesDuplicateKeys) {
  EXPECT_THAT(problems("scenario: s\nsteps:\n  - call: GET /x\n    as: CUSTOMER\n    as: DRIVER\n"),
              ElementsAre("s.yaml:5:5: error: duplicate key 'as'; first defined at line 4; this "
                          "second one is ignored"));
}

TEST(ScenarioLoad, ChecksMatchers) {
  EXPECT_THAT(
      problems("scenario: s\nsteps:\n  - call: GET /x\n    expect:\n      body: {n: {$gt: 1}, "
               "items: {$len: -1}, name: {$match: \"(\"}, at: {$exists: yes}, both: {$ne: 1, "
               "x: 2}}\n"),
      ElementsAre("s.yaml:5:18: error: unknown matcher '$gt'; did you mean '$gte'?",
                  "s.yaml:5:41: error: '$len' takes a length (0 or more) or a matcher, such as "
                  "{$gte: 1}",
                  "s.yaml:5:61: error: invalid regular expression '(': " +
                      std::string(std::regex_error(std::regex_constants::error_paren).what()),
                  "s.yaml:5:81: error: '$exists' takes true or false",
                  "s.yaml:5:102: error: 'x' beside a matcher: a map holds either fields or "
                  "matchers ($contains, $exists, …), not both"));
}

TEST(ScenarioLoad, ChecksEventSteps) {
  EXPECT_THAT(
      problems("scenario: s\nsteps:\n  - settle: 1s\n  - event: PaymentCancelled\n  - event: "
               "payment.PaymentCancelled\n    count: 1\n    within: 5s\n  - no_event: "
               "payment.PaymentCancelled\n    where: callId\n  - event: caller.CallMade\n    "
               "save: {id: body.callId}\n"),
      ElementsAre("s.yaml:4:12: error: write the event as context.EventName, such as "
                  "payment.PaymentCancelled",
                  "s.yaml:7:13: error: 'within' beside 'count': a count is checked once, after "
                  "reading every event published so far; put a settle step before it",
                  "s.yaml:9:12: error: 'where' is a map of the event's fields, such as {callId: "
                  "\"${callId}\"}",
                  "s.yaml:11:16: error: 'body.callId' is not a path of event, such as "
                  "event.callId"));
}

TEST(ScenarioLoad, ChecksRepeats) {
  EXPECT_THAT(
      problems("scenario: s\nsteps:\n  - repeat: 0\n    steps: [{call: GET /x}]\n  - repeat: 3\n "
               "   concurrency: 2\n    tally: {hels: 3}\n    steps:\n      - kill: payment\n    "
               "  - call: GET /x\n        say: each round\n  - repeat: 2\n"),
      ElementsAre(
          "s.yaml:3:13: error: 'repeat' is a whole number of 1 or more, not '0'",
          "s.yaml:7:13: error: unknown key 'hels' in 'tally'; did you mean 'held'?",
          "s.yaml:9:9: error: a repeat's steps are call, eventually, event and no_event steps; "
          "faults, settle and repeat belong outside it",
          "s.yaml:10:9: error: a 'say' inside a repeat would print every round; put it on the "
          "repeat step",
          "s.yaml:12:5: error: 'repeat' needs 'steps': the list of steps of one round"));
}

TEST(ScenarioLoad, ARepeatsIdentityGoesToItsCallsWithoutOne) {
  const Scenario s = scenario(R"(scenario: s
steps:
  - repeat: 2
    as: DRIVER
    steps:
      - call: GET /catches/${i}
      - eventually: {call: "GET /calls/${i}", as: CUSTOMER, expect: {status: 200}}
)");
  const auto& repeat = std::get<RepeatStep>(s.data().steps[0].action);
  EXPECT_EQ(std::get<CallStep>(repeat.steps[0].action).call.as->roles, std::vector<Json>{"DRIVER"});
  EXPECT_EQ(std::get<EventuallyStep>(repeat.steps[1].action).call.as->roles,
            std::vector<Json>{"CUSTOMER"});
}

TEST(ScenarioLoad, ChecksFaultsAndSettings) {
  EXPECT_THAT(
      problems("scenario: s\nsteps:\n  - broker: off\n  - configure: {catcher: {serviceArea: "
               "x}}\n  - scale: {payment: 0}\n  - stop: [caller]\n"),
      ElementsAre("s.yaml:3:13: error: 'broker' is down or up",
                  "s.yaml:4:27: error: 'serviceArea' is not a setting; write its ESKIT_… "
                  "variable, such as ESKIT_CATCHER_SERVICE_AREA",
                  "s.yaml:5:22: error: a replica count is a whole number of 1 or more, not '0'",
                  "s.yaml:6:11: error: expected a context name"));
}

TEST(ScenarioLoad, ReportsEveryProblemAtOnceInFileOrder) {
  const auto found = problems(R"(scenario: s
proves: F1
steps:
  - call: GET /x/${nope}
  - settle: soon
  - kill: paymnt
  - evnt: x
)");
  ASSERT_EQ(found.size(), 4u);
  EXPECT_EQ(found[0].substr(0, 12), "s.yaml:4:18:");
  EXPECT_EQ(found[1].substr(0, 12), "s.yaml:5:13:");
  EXPECT_EQ(found[2].substr(0, 12), "s.yaml:6:11:");
  EXPECT_EQ(found[3].substr(0, 11), "s.yaml:7:5:");
}

TEST(ScenarioLoad, ExplainsYamlMistakes) {
  // Inside { } a reference must be quoted: `{` and `}` are YAML's own.
  const auto found = problems(
      "scenario: s\nsteps:\n  - event: caller.CallMade\n    where: "
      "{callId: ${callId}}\n");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].substr(0, 28), "s.yaml:4:12: error: invalid ");
  EXPECT_NE(found[0].find("quote"), std::string::npos) << found[0];
  EXPECT_THAT(problems(""),
              ElementsAre("s.yaml:1:1: error: the file is empty; a scenario needs 'scenario:' and "
                          "'steps:'"));
  EXPECT_THAT(problems("- call: GET /x\n"),
              ElementsAre("s.yaml:1:1: error: a scenario file is a map with 'scenario:' and "
                          "'steps:'"));
}

TEST(ScenarioLoad, ReadsFilesAndSaysWhenItCannot) {
  const auto dir =
      std::filesystem::temp_directory_path() /
      ("eskit-scenario-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()));
  std::filesystem::create_directories(dir);
  const auto file = dir / "cancel.yaml";
  std::ofstream(file) << "scenario: s\nsteps:\n  - settle: 1s\n";
  const Scenario s = load_scenario(file);
  EXPECT_EQ(s.path(), file);
  EXPECT_EQ(s.title(), "s");
  try {
    load_scenario(dir / "missing.yaml");
    ADD_FAILURE() << "a missing file loaded";
  } catch (const ScenarioError& error) {
    EXPECT_EQ(error.what(), (dir / "missing.yaml").string() +
                                ":1:1: error: cannot read the file: No such file "
                                "or directory");
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace eskit::run::test
