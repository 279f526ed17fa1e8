// The breaker's state lives in one atomic word: state, trial permits left, generation. Loading
// it and reading the clock is all that try_acquire() does in closed and in open state, so the
// hot path and rejections are lock-free and never allocate. Half-open trial permits are
// taken by compare-and-swap on the same word, so no race can let more than the permitted
// number through, and a transition (which bumps the generation) invalidates every permit and
// outcome of the state before it in the same step.
//
// Recording an outcome takes a mutex: the window's totals and the decision to transition must
// be one step, or two recorders could both open the breaker or judge a half-updated window.
// The critical section is a few integer operations on preallocated memory. Transitions take
// the same mutex; they are rare, and the open → half-open one is contended only by the callers
// that arrive at the very moment the wait ends.
#include "eskit/runtime/resilience/circuit_breaker.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <mutex>
#include <stdexcept>
#include <utility>

#include "eskit/runtime/http/metrics.hpp"
#include "sliding_window.hpp"

namespace eskit::runtime::resilience {
namespace {

using detail::SlidingWindow;
using detail::WindowTotals;

constexpr std::size_t kStates = 6;
constexpr std::uint64_t kPermitUnit = std::uint64_t{1} << 32;
constexpr std::uint32_t kMaxPermits = 0xFF'FFFF;

// [state: 8 bits][trial permits left: 24 bits][generation: 32 bits]
constexpr std::uint64_t pack(BreakerState state, std::uint32_t permits,
                             std::uint32_t generation) noexcept {
  return std::uint64_t{static_cast<std::uint8_t>(state)} << 56 |
         std::uint64_t{permits & kMaxPermits} << 32 | generation;
}
constexpr BreakerState state_of(std::uint64_t word) noexcept {
  return static_cast<BreakerState>(word >> 56);
}
constexpr std::uint32_t permits_of(std::uint64_t word) noexcept {
  return static_cast<std::uint32_t>(word >> 32) & kMaxPermits;
}
constexpr std::uint32_t generation_of(std::uint64_t word) noexcept {
  return static_cast<std::uint32_t>(word);
}

std::int64_t ticks(Clock::time_point t) noexcept { return t.time_since_epoch().count(); }

enum Outcome : std::size_t { success, failure, slow, rejected, ignored, kOutcomes };
constexpr std::array<std::string_view, kOutcomes> kOutcomeNames{"success", "failure", "slow",
                                                                "rejected", "ignored"};

struct Transition {
  BreakerState from;
  BreakerState to;
};

CircuitBreakerConfig validated(CircuitBreakerConfig config) {
  validate(config);
  return config;
}

}  // namespace

std::string_view to_string(BreakerState state) noexcept {
  switch (state) {
    case BreakerState::closed:
      return "closed";
    case BreakerState::open:
      return "open";
    case BreakerState::half_open:
      return "half_open";
    case BreakerState::forced_open:
      return "forced_open";
    case BreakerState::disabled:
      return "disabled";
    case BreakerState::metrics_only:
      return "metrics_only";
  }
  return "unknown";
}

void validate(const CircuitBreakerConfig& config) {
  auto fail = [](const char* message) { throw std::invalid_argument(message); };
  if (config.window_size < 1) fail("window_size must be at least 1");
  if (config.minimum_calls < 1) fail("minimum_calls must be at least 1");
  if (!(config.failure_rate_threshold > 0 && config.failure_rate_threshold <= 100))
    fail("failure_rate_threshold must be in (0, 100]");
  if (!(config.slow_call_rate_threshold > 0 && config.slow_call_rate_threshold <= 100))
    fail("slow_call_rate_threshold must be in (0, 100]");
  if (config.slow_call_duration <= std::chrono::milliseconds::zero())
    fail("slow_call_duration must be positive");
  if (config.wait_in_open <= std::chrono::milliseconds::zero())
    fail("wait_in_open must be positive");
  if (config.permitted_calls_in_half_open < 1 ||
      static_cast<std::uint32_t>(config.permitted_calls_in_half_open) > kMaxPermits)
    fail("permitted_calls_in_half_open must be in [1, 16777215]");
  if (config.max_failures && *config.max_failures < 1) fail("max_failures must be at least 1");
  if (config.max_wait_in_half_open <= std::chrono::milliseconds::zero())
    fail("max_wait_in_half_open must be positive");
  if (config.after_half_open_timeout != BreakerState::open &&
      config.after_half_open_timeout != BreakerState::closed)
    fail("after_half_open_timeout must be open or closed");
}

struct CircuitBreaker::Impl {
  Impl(const std::string& name, CircuitBreakerConfig config_, Clock& clock_,
       http::MetricsRegistry* registry)
      : config(validated(std::move(config_))),
        clock(clock_),
        window(config.window_kind, config.window_size),
        trials(WindowKind::count_based, config.permitted_calls_in_half_open) {
    if (config.window_kind == WindowKind::count_based && minimum_calls > config.window_size)
      minimum_calls = config.window_size;
    for (std::size_t i = 0; i < kOutcomes; ++i) calls[i] = &own_calls[i];
    for (std::size_t i = 0; i < kStates; ++i) states[i] = &own_states[i];
    if (registry) {
      for (std::size_t i = 0; i < kOutcomes; ++i) {
        calls[i] = &registry->counter(
            "eskit_breaker_calls_total", "Calls through a circuit breaker, by outcome.",
            {{"breaker", name}, {"outcome", std::string(kOutcomeNames[i])}});
      }
      for (std::size_t i = 0; i < kStates; ++i) {
        states[i] = &registry->gauge(
            "eskit_breaker_state", "1 for the circuit breaker's current state, 0 for the others.",
            {{"breaker", name}, {"state", std::string(to_string(static_cast<BreakerState>(i)))}});
      }
      transitions =
          &registry->counter("eskit_breaker_transitions_total",
                             "State transitions of a circuit breaker.", {{"breaker", name}});
    }
    states[static_cast<std::size_t>(BreakerState::closed)]->set(1);
  }

  // Open by the absolute rule, or by either rate once `minimum` calls are in the window.
  [[nodiscard]] bool exceeds(const WindowTotals& t, int minimum) const noexcept {
    if (config.max_failures && t.failures >= *config.max_failures) return true;
    if (t.calls < minimum) return false;
    return t.failures * 100.0 >= config.failure_rate_threshold * t.calls ||
           t.slow_calls * 100.0 >= config.slow_call_rate_threshold * t.calls;
  }

  // Under `mutex`. Readers see the timestamps before the new state: the word is stored last,
  // with release order.
  Transition transition_locked(std::uint64_t word, BreakerState to, Clock::time_point now) {
    auto from = state_of(word);
    std::uint32_t permits = 0;
    switch (to) {
      case BreakerState::open:
        open_until.store(ticks(now + config.wait_in_open), std::memory_order_relaxed);
        break;
      case BreakerState::half_open:
        trials.clear();
        half_open_since.store(ticks(now), std::memory_order_relaxed);
        permits = static_cast<std::uint32_t>(config.permitted_calls_in_half_open);
        break;
      case BreakerState::closed:
      case BreakerState::metrics_only:
        window.clear();
        break;
      case BreakerState::forced_open:
      case BreakerState::disabled:
        break;
    }
    state.store(pack(to, permits, generation_of(word) + 1), std::memory_order_release);
    if (from != to) {
      states[static_cast<std::size_t>(from)]->set(0);
      states[static_cast<std::size_t>(to)]->set(1);
      transitions->inc();
    }
    return {from, to};
  }

  void notify(std::optional<Transition> transition) {
    if (!transition || transition->from == transition->to) return;
    std::lock_guard lock(listener_mutex);
    if (listener) listener(transition->from, transition->to);
  }

  // Moves out of `seen` (open or half-open) unless another thread already has.
  void leave(std::uint64_t seen, BreakerState to, Clock::time_point now) {
    std::optional<Transition> done;
    {
      std::lock_guard lock(mutex);
      auto word = state.load(std::memory_order_relaxed);
      if (generation_of(word) == generation_of(seen)) done = transition_locked(word, to, now);
    }
    notify(done);
  }

  void force(BreakerState to) {
    std::optional<Transition> done;
    {
      std::lock_guard lock(mutex);
      done = transition_locked(state.load(std::memory_order_relaxed), to, clock.now());
    }
    notify(done);
  }

  // `now` is read once by the permit, before the lock: the clock is the costliest part of a
  // call through a closed breaker.
  void record(const Permit& permit, Clock::duration elapsed, bool failed, Clock::time_point now) {
    bool is_slow = elapsed >= config.slow_call_duration;
    calls[failed ? failure : is_slow ? slow : success]->inc();
    std::optional<Transition> done;
    {
      std::lock_guard lock(mutex);
      auto word = state.load(std::memory_order_relaxed);
      // An outcome of an earlier state (a call that started before the breaker opened) is
      // counted above but judged by nobody.
      if (generation_of(word) != permit.generation_) return;
      switch (state_of(word)) {
        case BreakerState::closed:
          window.record(now, failed, is_slow);
          if (exceeds(window.totals(now), minimum_calls))
            done = transition_locked(word, BreakerState::open, now);
          break;
        case BreakerState::metrics_only:
          window.record(now, failed, is_slow);
          break;
        case BreakerState::half_open: {
          trials.record(now, failed, is_slow);
          auto totals = trials.totals(now);
          if (exceeds(totals, config.permitted_calls_in_half_open))
            done = transition_locked(word, BreakerState::open, now);
          else if (totals.calls >= config.permitted_calls_in_half_open)
            done = transition_locked(word, BreakerState::closed, now);
          break;
        }
        case BreakerState::open:
        case BreakerState::forced_open:
        case BreakerState::disabled:
          break;
      }
    }
    notify(done);
  }

  void release(const Permit& permit) noexcept {
    calls[ignored]->inc();
    if (permit.state_ != BreakerState::half_open) return;
    auto word = state.load(std::memory_order_relaxed);
    while (generation_of(word) == permit.generation_) {
      if (state.compare_exchange_weak(word, word + kPermitUnit, std::memory_order_acq_rel,
                                      std::memory_order_relaxed))
        return;
    }
  }

  void reject() noexcept {
    rejections.fetch_add(1, std::memory_order_relaxed);
    calls[rejected]->inc();
  }

  CircuitBreakerConfig config;
  Clock& clock;
  int minimum_calls = config.minimum_calls;

  std::atomic<std::uint64_t> state{pack(BreakerState::closed, 0, 0)};
  std::atomic<std::int64_t> open_until{0};
  std::atomic<std::int64_t> half_open_since{0};
  std::atomic<std::uint64_t> rejections{0};

  std::mutex mutex;      // the windows and transitions
  SlidingWindow window;  // closed and metrics-only
  SlidingWindow trials;  // half-open

  std::mutex listener_mutex;
  StateListener listener;

  // Without a registry the breaker records into its own series.
  std::array<http::Counter, kOutcomes> own_calls;
  std::array<http::Gauge, kStates> own_states;
  http::Counter own_transitions;
  std::array<http::Counter*, kOutcomes> calls{};
  std::array<http::Gauge*, kStates> states{};
  http::Counter* transitions = &own_transitions;
};

CircuitBreaker::CircuitBreaker(const std::string& name, CircuitBreakerConfig config, Clock& clock,
                               http::MetricsRegistry* metrics)
    : impl_(std::make_unique<Impl>(name, std::move(config), clock, metrics)) {}

CircuitBreaker::~CircuitBreaker() = default;

std::optional<CircuitBreaker::Permit> CircuitBreaker::try_acquire() {
  auto& s = *impl_;
  auto word = s.state.load(std::memory_order_acquire);
  for (;;) {
    auto current = state_of(word);
    switch (current) {
      case BreakerState::closed:
      case BreakerState::metrics_only:
        return Permit{this, generation_of(word), current, s.clock.now()};
      case BreakerState::disabled:
        return Permit{this, generation_of(word), current, {}};  // measures nothing
      case BreakerState::forced_open:
        s.reject();
        return std::nullopt;
      case BreakerState::open: {
        auto now = s.clock.now();
        if (ticks(now) < s.open_until.load(std::memory_order_relaxed)) {
          s.reject();
          return std::nullopt;
        }
        s.leave(word, BreakerState::half_open, now);
        word = s.state.load(std::memory_order_acquire);
        continue;
      }
      case BreakerState::half_open: {
        auto now = s.clock.now();
        if (ticks(now) - s.half_open_since.load(std::memory_order_relaxed) >=
            std::chrono::nanoseconds{s.config.max_wait_in_half_open}.count()) {
          s.leave(word, s.config.after_half_open_timeout, now);
          word = s.state.load(std::memory_order_acquire);
          continue;
        }
        if (permits_of(word) == 0) {
          s.reject();
          return std::nullopt;
        }
        if (s.state.compare_exchange_weak(word, word - kPermitUnit, std::memory_order_acq_rel,
                                          std::memory_order_acquire))
          return Permit{this, generation_of(word), current, now};
        continue;  // `word` holds what won the race
      }
    }
  }
}

BreakerState CircuitBreaker::state() const noexcept {
  return state_of(impl_->state.load(std::memory_order_acquire));
}

CircuitBreaker::Snapshot CircuitBreaker::snapshot() const {
  auto& s = *impl_;
  std::lock_guard lock(s.mutex);
  auto current = state_of(s.state.load(std::memory_order_relaxed));
  WindowTotals totals;
  if (current == BreakerState::closed || current == BreakerState::metrics_only)
    totals = s.window.totals(s.clock.now());
  else if (current == BreakerState::half_open)
    totals = s.trials.totals(s.clock.now());
  return {current, totals.calls, totals.failures, totals.slow_calls,
          s.rejections.load(std::memory_order_relaxed)};
}

Clock::duration CircuitBreaker::retry_after() const noexcept {
  if (state() == BreakerState::open) {
    auto left = Clock::duration{impl_->open_until.load(std::memory_order_relaxed) -
                                ticks(impl_->clock.now())};
    return std::max(left, Clock::duration::zero());
  }
  return impl_->config.wait_in_open;
}

void CircuitBreaker::transition_to_forced_open() { impl_->force(BreakerState::forced_open); }
void CircuitBreaker::disable() { impl_->force(BreakerState::disabled); }
void CircuitBreaker::metrics_only() { impl_->force(BreakerState::metrics_only); }
void CircuitBreaker::reset() { impl_->force(BreakerState::closed); }

void CircuitBreaker::on_state_change(StateListener listener) {
  std::lock_guard lock(impl_->listener_mutex);
  impl_->listener = std::move(listener);
}

CircuitBreaker::Permit::Permit(Permit&& other) noexcept
    : breaker_(std::exchange(other.breaker_, nullptr)),
      generation_(other.generation_),
      state_(other.state_),
      start_(other.start_) {}

CircuitBreaker::Permit& CircuitBreaker::Permit::operator=(Permit&& other) noexcept {
  if (this != &other) {
    if (breaker_ && state_ != BreakerState::disabled) breaker_->impl_->release(*this);
    breaker_ = std::exchange(other.breaker_, nullptr);
    generation_ = other.generation_;
    state_ = other.state_;
    start_ = other.start_;
  }
  return *this;
}

CircuitBreaker::Permit::~Permit() {
  if (breaker_ && state_ != BreakerState::disabled) breaker_->impl_->release(*this);
}

void CircuitBreaker::Permit::on_success() { record(std::nullopt, false); }
void CircuitBreaker::Permit::on_failure() { record(std::nullopt, true); }
void CircuitBreaker::Permit::on_success(Clock::duration elapsed) { record(elapsed, false); }
void CircuitBreaker::Permit::on_failure(Clock::duration elapsed) { record(elapsed, true); }

void CircuitBreaker::Permit::record(std::optional<Clock::duration> elapsed, bool failed) {
  auto* breaker = std::exchange(breaker_, nullptr);
  if (!breaker || state_ == BreakerState::disabled) return;
  auto now = breaker->impl_->clock.now();
  breaker->impl_->record(*this, elapsed.value_or(now - start_), failed, now);
}

}  // namespace eskit::runtime::resilience
