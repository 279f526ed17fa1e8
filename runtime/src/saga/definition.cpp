#include "eskit/runtime/saga/definition.hpp"

#include <set>
#include <sstream>
#include <stdexcept>

namespace eskit::runtime::saga {

void validate(const SagaDefinition& definition) {
  std::ostringstream problems;
  int count = 0;
  const std::string saga = definition.name.empty() ? "<unnamed>" : definition.name;
  auto problem = [&](const std::string& where, const std::string& what) {
    problems << "\n  " << where << ": " << what;
    ++count;
  };
  if (definition.name.empty()) problem("saga", "has no name");
  if (definition.source.empty()) problem("saga " + saga, "has no source context");
  if (definition.steps.empty()) problem("saga " + saga, "has no steps");
  std::set<std::string> names;
  bool past_pivot = false;
  for (std::size_t i = 0; i < definition.steps.size(); ++i) {
    const auto& step = definition.steps[i];
    const std::string where = "saga " + saga + ", step " + std::to_string(i + 1) +
                              (step.name.empty() ? std::string() : " '" + step.name + "'");
    if (step.name.empty()) problem(where, "has no name");
    if (!step.name.empty() && !names.insert(step.name).second)
      problem(where, "repeats the name of an earlier step");
    if (step.command.empty()) problem(where, "has no command");
    if (step.topic.empty()) problem(where, "has no command topic");
    if (step.completes_on.empty()) problem(where, "has no completes_on event");
    if (step.compensation.empty() && !step.pivot && !step.retriable)
      problem(where, "needs a compensation, or to be the pivot or retriable");
    if (step.compensation.empty() && !step.compensated_on.empty())
      problem(where, "has a compensated_on event but no compensation");
    if (past_pivot && !step.retriable)
      problem(where, "comes after the pivot, so it must be retriable");
    if (step.retriable && step.max_attempts < 1) problem(where, "max_attempts must be at least 1");
    if (step.timeout.count() < 0) problem(where, "has a negative timeout");
    // A timed-out command may still be applied later: the saga must be able to undo it
    // (compensation) or to send it again harmlessly (retriable, hence idempotent).
    if (step.timeout.count() > 0 && step.compensation.empty() && !step.retriable)
      problem(where, "has a timeout but neither a compensation nor retries");
    if (step.pivot) {
      if (past_pivot) problem(where, "is a second pivot");
      past_pivot = true;
    }
  }
  if (count > 0)
    throw std::invalid_argument("invalid saga definition (" + std::to_string(count) +
                                (count == 1 ? " problem):" : " problems):") + problems.str());
}

}  // namespace eskit::runtime::saga
