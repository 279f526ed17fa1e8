#include "eskit/runtime/saga/state.hpp"

#include <array>
#include <utility>

namespace eskit::runtime::saga {
namespace {

constexpr std::array<std::pair<SagaState, std::string_view>, 5> names{{
    {SagaState::running, "running"},
    {SagaState::compensating, "compensating"},
    {SagaState::completed, "completed"},
    {SagaState::compensated, "compensated"},
    {SagaState::failed, "failed"},
}};

}  // namespace

std::string_view to_string(SagaState state) noexcept {
  for (const auto& [value, name] : names)
    if (value == state) return name;
  return "unknown";
}

std::optional<SagaState> parse_saga_state(std::string_view text) noexcept {
  for (const auto& [value, name] : names)
    if (name == text) return value;
  return std::nullopt;
}

bool is_final(SagaState state) noexcept {
  return state == SagaState::completed || state == SagaState::compensated ||
         state == SagaState::failed;
}

}  // namespace eskit::runtime::saga
