#pragma once
// Polls every upstream's readiness endpoint in the background, so the gateway's /ready and
// its upstream report answer from what it last saw and never wait on the network.
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace eskit::runtime::gateway {

struct Upstream {
  std::string name;      // "review"
  std::string base_url;  // "http://review:8080" (Kubernetes DNS) or "http://127.0.0.1:8081"
};

struct UpstreamState {
  enum class Health { unknown, up, down };

  std::string name;
  std::string base_url;
  Health health = Health::unknown;  // unknown until the first check has answered
  std::string reason;               // why it is down; empty otherwise
  int status = 0;                   // the readiness endpoint's last status; 0: no answer
  std::chrono::system_clock::time_point last_check{};  // epoch while unknown
  std::chrono::milliseconds latency{0};                // of the last check
  std::uint64_t consecutive_failures = 0;
};

[[nodiscard]] std::string_view to_string(UpstreamState::Health health) noexcept;

struct MonitorOptions {
  std::string path = "/ready";                // the upstream's readiness endpoint
  std::chrono::milliseconds interval{5'000};  // between the starts of two rounds
  std::chrono::milliseconds timeout{1'000};   // per check
};

class UpstreamMonitor {
 public:
  UpstreamMonitor(std::vector<Upstream> upstreams, MonitorOptions options = {});
  ~UpstreamMonitor();  // stop()
  UpstreamMonitor(const UpstreamMonitor&) = delete;
  UpstreamMonitor& operator=(const UpstreamMonitor&) = delete;

  // Starts the polling thread; the first round begins at once.
  void start();
  // Ends the polling thread, interrupting its wait; a check in progress finishes within its
  // timeout. Idempotent.
  void stop();

  // Every upstream's state, in configuration order.
  [[nodiscard]] std::vector<UpstreamState> snapshot() const;
  // Rounds completed since start(), so callers can wait for fresh state.
  [[nodiscard]] std::uint64_t rounds() const noexcept;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace eskit::runtime::gateway
