#pragma once
// A bulkhead: at most max_concurrent_calls in flight to one callee, so a slow callee ties up
// a bounded number of the caller's threads. Taking a free slot is one compare-and-swap.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <string>
#include <utility>

namespace eskit::runtime::http {
class Counter;
class MetricsRegistry;
}  // namespace eskit::runtime::http

namespace eskit::runtime::resilience {

struct BulkheadConfig {
  int max_concurrent_calls = 25;
  // How long a call may wait for a slot; zero rejects at once. The wait is real time (it
  // waits for other threads), not the resilience Clock.
  std::chrono::milliseconds max_wait{0};
};

// Throws std::invalid_argument naming the first setting out of range.
void validate(const BulkheadConfig& config);

class Bulkhead {
 public:
  // A slot, given back when destroyed.
  class Permit {
   public:
    Permit(Permit&& other) noexcept : bulkhead_(std::exchange(other.bulkhead_, nullptr)) {}
    Permit& operator=(Permit&&) = delete;
    Permit(const Permit&) = delete;
    Permit& operator=(const Permit&) = delete;
    ~Permit() {
      if (bulkhead_) bulkhead_->release();
    }

   private:
    friend class Bulkhead;
    explicit Permit(Bulkhead* bulkhead) noexcept : bulkhead_(bulkhead) {}
    Bulkhead* bulkhead_;
  };

  // With a registry it counts eskit_bulkhead_rejections_total{bulkhead="<name>"}.
  Bulkhead(const std::string& name, BulkheadConfig config,
           http::MetricsRegistry* metrics = nullptr);
  Bulkhead(const Bulkhead&) = delete;
  Bulkhead& operator=(const Bulkhead&) = delete;

  // Waits at most the shorter of max_wait and `budget` for a slot.
  [[nodiscard]] std::optional<Permit> try_acquire(
      std::chrono::nanoseconds budget = std::chrono::nanoseconds::max());

  [[nodiscard]] int in_flight() const noexcept { return in_flight_.load(); }
  [[nodiscard]] int waiting() const noexcept { return waiting_.load(); }

 private:
  [[nodiscard]] bool take() noexcept;
  void release() noexcept;

  BulkheadConfig config_;
  std::atomic<int> in_flight_{0};
  std::atomic<int> waiting_{0};
  std::mutex mutex_;
  std::condition_variable freed_;
  http::Counter* rejections_ = nullptr;
};

}  // namespace eskit::runtime::resilience
