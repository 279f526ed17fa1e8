#pragma once
// The clock of an orchestrator's step deadlines: a thread that calls expire_due() every
// interval. Two replicas may both run one; each instance times out once (see expire_due()).
#include <chrono>
#include <cstdint>
#include <exception>
#include <functional>
#include <memory>

#include "eskit/runtime/saga/orchestrator.hpp"

namespace eskit::runtime::saga {

struct StepTimerOptions {
  std::chrono::milliseconds interval{std::chrono::seconds(1)};
  // Called after a round that timed steps out (a service wakes its relay here, so the
  // compensations or retries go out now rather than at the relay's next poll).
  std::function<void()> after_timeouts;
  // Called with what a failed round threw (the database gone); the next round tries again.
  std::function<void(const std::exception&)> on_error;
};

class StepTimer {
 public:
  // `orchestrator` must outlive the timer.
  StepTimer(Orchestrator& orchestrator, StepTimerOptions options = {});
  ~StepTimer();  // stop()s
  StepTimer(const StepTimer&) = delete;
  StepTimer& operator=(const StepTimer&) = delete;

  void start();
  void stop();                               // idempotent; finishes the round in hand
  std::uint64_t timed_out() const noexcept;  // steps timed out since start

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace eskit::runtime::saga
