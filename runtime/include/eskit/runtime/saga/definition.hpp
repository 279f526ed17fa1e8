#pragma once
// A saga as the model describes it (docs/model.md, "Saga"): ordered steps, each a command sent
// to a participant context and the events that settle it. The generator fills this struct from
// the model; nothing here knows about Kafka or SQL.
#include <chrono>
#include <string>
#include <vector>

namespace eskit::runtime::saga {

struct SagaStep {
  std::string name{};     // e.g. "approvePayment"; unique within the saga
  std::string command{};  // the command's type on the wire, e.g. "ApprovePayment"
  // The participant's command topic. The step's command and its compensation both go there,
  // keyed by the correlation id, so a compensation is never applied before its command.
  std::string topic{};
  std::string completes_on{};           // event type that completes the step
  std::vector<std::string> fails_on{};  // event types that fail it
  std::string compensation{};           // command that undoes the step; empty: nothing to undo
  // The event the compensation emits; the saga waits for it. Empty: the compensation is sent
  // and not waited for (it still travels through the outbox, so it is never forgotten).
  std::string compensated_on{};
  // The point of no return: once it completed, later steps are retried, never compensated.
  bool pivot = false;
  // A failed or timed-out attempt sends the command again, up to max_attempts in all.
  bool retriable = false;
  int max_attempts = 3;
  // How long the step may take before it fails as timed out; zero: no deadline.
  std::chrono::milliseconds timeout{0};
};

enum class CompensationOrder {
  reverse,   // one at a time, last completed step first, each after the previous confirmed
  parallel,  // all compensation commands at once; compensated when every one confirmed
};

struct SagaDefinition {
  std::string name{};    // the saga's name in the model, e.g. "CallDispatch"
  std::string source{};  // the orchestrating context: the `source` of the commands it sends
  std::vector<SagaStep> steps{};
  CompensationOrder compensation_order = CompensationOrder::reverse;
};

// Throws std::invalid_argument listing every problem at once (missing names, topics or events,
// duplicate step names, a step with neither compensation, pivot nor retry, a non-retriable
// step after the pivot, a non-positive max_attempts, a negative timeout).
void validate(const SagaDefinition& definition);

}  // namespace eskit::runtime::saga
