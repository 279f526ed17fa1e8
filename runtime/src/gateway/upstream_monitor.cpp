#include "eskit/runtime/gateway/upstream_monitor.hpp"

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "eskit/runtime/http/client.hpp"

namespace eskit::runtime::gateway {

std::string_view to_string(UpstreamState::Health health) noexcept {
  switch (health) {
    case UpstreamState::Health::unknown:
      return "unknown";
    case UpstreamState::Health::up:
      return "up";
    case UpstreamState::Health::down:
      return "down";
  }
  return "unknown";
}

struct UpstreamMonitor::Impl {
  MonitorOptions options;
  // The checks' own client: a slow upstream's checks never take a pooled connection the
  // proxied requests need.
  http::Client client{http::ClientOptions{.max_idle_per_host = 1,
                                          .max_idle_time = std::chrono::milliseconds{30'000},
                                          .max_response_bytes = 64 * 1024,
                                          .send_deadline_header = true,
                                          .user_agent = "eskit-gateway-monitor"}};
  mutable std::mutex mutex;
  std::condition_variable wake;
  std::vector<UpstreamState> states;
  bool stopping = false;
  std::atomic<std::uint64_t> rounds{0};
  std::thread thread;

  UpstreamState check(UpstreamState state) {
    auto request = http::ClientRequest::get(state.base_url + options.path);
    request.timeout = options.timeout;
    const auto started = std::chrono::steady_clock::now();
    const auto result = client.call(request);
    state.latency = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - started);
    state.last_check = std::chrono::system_clock::now();
    if (!result) {
      state.health = UpstreamState::Health::down;
      state.status = 0;
      state.reason =
          std::string(http::to_string(result.error().code)) + ": " + result.error().message;
    } else if (result->status >= 200 && result->status < 300) {
      state.health = UpstreamState::Health::up;
      state.status = result->status;
      state.reason.clear();
    } else {
      state.health = UpstreamState::Health::down;
      state.status = result->status;
      // The upstream's own problem detail says which of its checks fails.
      std::string detail = result->body.substr(0, 512);
      state.reason = options.path + " answered " + std::to_string(result->status) +
                     (detail.empty() ? "" : ": " + detail);
    }
    state.consecutive_failures =
        state.health == UpstreamState::Health::up ? 0 : state.consecutive_failures + 1;
    return state;
  }

  void run() {
    std::unique_lock lock(mutex);
    while (!stopping) {
      const auto round_started = std::chrono::steady_clock::now();
      for (std::size_t i = 0; i < states.size() && !stopping; ++i) {
        UpstreamState current = states[i];
        lock.unlock();
        UpstreamState checked = check(std::move(current));
        lock.lock();
        states[i] = std::move(checked);
      }
      rounds.fetch_add(1);
      wake.notify_all();
      wake.wait_until(lock, round_started + options.interval, [this] { return stopping; });
    }
  }
};

UpstreamMonitor::UpstreamMonitor(std::vector<Upstream> upstreams, MonitorOptions options)
    : impl_(std::make_unique<Impl>()) {
  impl_->options = std::move(options);
  for (auto& upstream : upstreams) {
    UpstreamState state;
    state.name = std::move(upstream.name);
    state.base_url = std::move(upstream.base_url);
    state.reason = "not checked yet";
    impl_->states.push_back(std::move(state));
  }
}

UpstreamMonitor::~UpstreamMonitor() { stop(); }

void UpstreamMonitor::start() {
  std::lock_guard lock(impl_->mutex);
  if (impl_->thread.joinable() || impl_->stopping) return;
  impl_->thread = std::thread([impl = impl_.get()] { impl->run(); });
}

void UpstreamMonitor::stop() {
  {
    std::lock_guard lock(impl_->mutex);
    impl_->stopping = true;
  }
  impl_->wake.notify_all();
  if (impl_->thread.joinable()) impl_->thread.join();
}

std::vector<UpstreamState> UpstreamMonitor::snapshot() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->states;
}

std::uint64_t UpstreamMonitor::rounds() const noexcept { return impl_->rounds.load(); }

}  // namespace eskit::runtime::gateway
