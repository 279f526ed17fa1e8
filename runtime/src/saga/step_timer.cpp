#include "eskit/runtime/saga/step_timer.hpp"

#include <condition_variable>
#include <mutex>
#include <thread>

namespace eskit::runtime::saga {

struct StepTimer::State {
  State(Orchestrator& o, StepTimerOptions opts) : orchestrator(o), options(std::move(opts)) {}

  Orchestrator& orchestrator;
  StepTimerOptions options;
  std::mutex mutex;
  std::condition_variable wake;
  bool stopping = false;
  std::thread thread;
  std::atomic<std::uint64_t> timed_out{0};

  void run() {
    std::unique_lock lock(mutex);
    while (!stopping) {
      lock.unlock();
      try {
        const auto now =
            std::chrono::floor<std::chrono::microseconds>(std::chrono::system_clock::now());
        const auto n = orchestrator.expire_due(now);
        timed_out += n;
        if (n > 0 && options.after_timeouts) options.after_timeouts();
      } catch (const std::exception& error) {
        if (options.on_error) options.on_error(error);
      }
      lock.lock();
      wake.wait_for(lock, options.interval, [&] { return stopping; });
    }
  }
};

StepTimer::StepTimer(Orchestrator& orchestrator, StepTimerOptions options)
    : state_(std::make_unique<State>(orchestrator, std::move(options))) {}

StepTimer::~StepTimer() { stop(); }

void StepTimer::start() {
  std::lock_guard lock(state_->mutex);
  if (state_->thread.joinable()) return;
  state_->stopping = false;
  state_->thread = std::thread([state = state_.get()] { state->run(); });
}

void StepTimer::stop() {
  {
    std::lock_guard lock(state_->mutex);
    state_->stopping = true;
  }
  state_->wake.notify_all();
  if (state_->thread.joinable()) state_->thread.join();
}

std::uint64_t StepTimer::timed_out() const noexcept { return state_->timed_out.load(); }

}  // namespace eskit::runtime::saga
