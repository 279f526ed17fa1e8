#pragma once
// The time every resilience component reads and the way it waits, behind one interface, so
// tests drive breakers, backoff and rate limits with a ManualClock instead of sleeping.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <vector>

namespace eskit::runtime::resilience {

class Clock {
 public:
  using duration = std::chrono::nanoseconds;
  using time_point = std::chrono::time_point<std::chrono::steady_clock, duration>;

  virtual ~Clock() = default;
  [[nodiscard]] virtual time_point now() const noexcept = 0;
  // Blocks the calling thread: retry backoff and rate-limiter waits.
  virtual void sleep_for(duration how_long) = 0;

  // std::chrono::steady_clock and std::this_thread::sleep_for.
  [[nodiscard]] static Clock& system() noexcept;
};

// Time stands still until a test moves it; sleeping moves it and is recorded, so a test sees
// exactly which backoff delays a retry chose.
class ManualClock final : public Clock {
 public:
  // Starts far from the steady clock's epoch so no computation goes below zero.
  explicit ManualClock(time_point start = time_point{std::chrono::hours{1000}}) noexcept
      : now_(start.time_since_epoch().count()) {}

  [[nodiscard]] time_point now() const noexcept override {
    return time_point{duration{now_.load(std::memory_order_acquire)}};
  }
  void sleep_for(duration how_long) override;
  void advance(duration by) noexcept { now_.fetch_add(by.count(), std::memory_order_acq_rel); }

  // Every sleep_for so far, in order.
  [[nodiscard]] std::vector<duration> sleeps() const;

 private:
  std::atomic<std::int64_t> now_;
  mutable std::mutex mutex_;
  std::vector<duration> sleeps_;
};

}  // namespace eskit::runtime::resilience
