#include "eskit/runtime/resilience/clock.hpp"

#include <thread>

namespace eskit::runtime::resilience {
namespace {

class SteadyClock final : public Clock {
 public:
  [[nodiscard]] time_point now() const noexcept override {
    return std::chrono::time_point_cast<duration>(std::chrono::steady_clock::now());
  }
  void sleep_for(duration how_long) override { std::this_thread::sleep_for(how_long); }
};

}  // namespace

Clock& Clock::system() noexcept {
  static SteadyClock clock;
  return clock;
}

void ManualClock::sleep_for(duration how_long) {
  {
    std::lock_guard lock(mutex_);
    sleeps_.push_back(how_long);
  }
  advance(how_long);
}

std::vector<Clock::duration> ManualClock::sleeps() const {
  std::lock_guard lock(mutex_);
  return sleeps_;
}

}  // namespace eskit::runtime::resilience
