// A definition is checked once, with every problem in one message; the model's own shapes pass.
#include <gtest/gtest.h>

#include "eskit/runtime/saga/definition.hpp"
#include "eskit/runtime/saga/state.hpp"
#include "saga_fixture.hpp"

namespace eskit::runtime::saga {
namespace {

TEST(SagaDefinition, TheOrderSagaIsValid) { EXPECT_NO_THROW(validate(testing::order_saga())); }

TEST(SagaDefinition, EveryProblemIsReportedAtOnce) {
  auto saga = testing::order_saga();
  saga.source.clear();
  saga.steps[0].topic.clear();
  saga.steps[1].name = "reserve";
  saga.steps[1].compensation.clear();               // still has compensated_on
  saga.steps[3].retriable = false;                  // after the pivot
  saga.steps[2].timeout = std::chrono::seconds(5);  // the pivot cannot be undone or retried
  try {
    validate(saga);
    FAIL() << "an invalid definition passed";
  } catch (const std::invalid_argument& e) {
    const std::string message = e.what();
    for (const auto* expected :
         {"8 problems", "saga PlaceOrder: has no source context",
          "step 1 'reserve': has no command topic",
          "step 2 'reserve': repeats the name of an earlier step",
          "step 2 'reserve': needs a compensation, or to be the pivot or retriable",
          "step 2 'reserve': has a compensated_on event but no compensation",
          "step 3 'ship': has a timeout but neither a compensation nor retries",
          "step 4 'notify': comes after the pivot, so it must be retriable"})
      EXPECT_NE(message.find(expected), std::string::npos) << expected << "\n" << message;
  }
}

TEST(SagaDefinition, AnEmptyOneSaysWhatIsMissing) {
  try {
    validate(SagaDefinition{});
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("saga: has no name"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("has no steps"), std::string::npos) << e.what();
  }
}

TEST(SagaState, NamesRoundTrip) {
  for (const auto state : {SagaState::running, SagaState::compensating, SagaState::completed,
                           SagaState::compensated, SagaState::failed})
    EXPECT_EQ(parse_saga_state(to_string(state)), state);
  EXPECT_FALSE(parse_saga_state("done"));
  EXPECT_TRUE(is_final(SagaState::compensated));
  EXPECT_FALSE(is_final(SagaState::compensating));
}

}  // namespace
}  // namespace eskit::runtime::saga
