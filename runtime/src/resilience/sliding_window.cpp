#include "sliding_window.hpp"

#include <algorithm>

namespace eskit::runtime::resilience::detail {
namespace {

std::int64_t second_of(Clock::time_point t) {
  return std::chrono::floor<std::chrono::seconds>(t.time_since_epoch()).count();
}

}  // namespace

SlidingWindow::SlidingWindow(WindowKind kind, int size)
    : kind_(kind), buckets_(static_cast<std::size_t>(size)) {}

void SlidingWindow::add(const WindowTotals& bucket, int sign) {
  totals_.calls += sign * bucket.calls;
  totals_.failures += sign * bucket.failures;
  totals_.slow_calls += sign * bucket.slow_calls;
}

void SlidingWindow::expire(std::int64_t second) {
  if (second <= newest_second_) return;
  auto size = static_cast<std::int64_t>(buckets_.size());
  // Only the seconds between the newest recorded one and now leave the window, and never
  // more than a full ring of them: the cost is bounded however long the breaker was idle.
  auto first = std::max(newest_second_ + 1, second - size + 1) - size;
  for (auto gone = first; gone <= second - size; ++gone) {
    auto& bucket = buckets_[static_cast<std::size_t>(((gone % size) + size) % size)];
    if (bucket.second == gone) {
      add(bucket.totals, -1);
      bucket = {};
    }
  }
  newest_second_ = second;
}

void SlidingWindow::record(Clock::time_point now, bool failed, bool slow) {
  WindowTotals call{1, failed ? 1 : 0, slow ? 1 : 0};
  if (kind_ == WindowKind::count_based) {
    auto& bucket = buckets_[next_];
    add(bucket.totals, -1);
    bucket.totals = call;
    next_ = (next_ + 1) % buckets_.size();
  } else {
    auto second = second_of(now);
    expire(second);
    auto size = static_cast<std::int64_t>(buckets_.size());
    if (second <= newest_second_ - size) return;  // read before a newer call: already gone
    auto& bucket = buckets_[static_cast<std::size_t>(((second % size) + size) % size)];
    if (bucket.second != second) {
      add(bucket.totals, -1);
      bucket = {second, {}};
    }
    bucket.totals.calls += call.calls;
    bucket.totals.failures += call.failures;
    bucket.totals.slow_calls += call.slow_calls;
  }
  add(call, 1);
}

WindowTotals SlidingWindow::totals(Clock::time_point now) {
  if (kind_ == WindowKind::time_based) expire(second_of(now));
  return totals_;
}

void SlidingWindow::clear() {
  std::fill(buckets_.begin(), buckets_.end(), Bucket{});
  next_ = 0;
  totals_ = {};
}

}  // namespace eskit::runtime::resilience::detail
