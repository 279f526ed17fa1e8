#pragma once
// Where a saga instance is in its life. Stored as text in eskit_saga_instances.state.
#include <optional>
#include <string_view>

namespace eskit::runtime::saga {

enum class SagaState {
  running,       // a step's command is out; waiting for its completes_on or fails_on event
  compensating,  // a step failed or timed out; compensations are out or queued
  completed,     // every step completed
  compensated,   // every completed step's compensation confirmed (or sent, if unconfirmed)
  failed,        // a step past the pivot ran out of attempts: an operator must decide
};

std::string_view to_string(SagaState state) noexcept;
std::optional<SagaState> parse_saga_state(std::string_view text) noexcept;
// completed, compensated and failed: no event moves the instance any more.
bool is_final(SagaState state) noexcept;

}  // namespace eskit::runtime::saga
