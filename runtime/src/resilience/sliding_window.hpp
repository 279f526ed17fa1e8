#pragma once
// The breaker's memory of recent outcomes: running totals over a ring of buckets, one call per
// bucket (count based) or one second per bucket (time based). Recording and reading are O(1)
// amortized and never allocate; the caller serializes access.
#include <cstdint>
#include <vector>

#include "eskit/runtime/resilience/circuit_breaker.hpp"
#include "eskit/runtime/resilience/clock.hpp"

namespace eskit::runtime::resilience::detail {

struct WindowTotals {
  int calls = 0;
  int failures = 0;
  int slow_calls = 0;
};

class SlidingWindow {
 public:
  SlidingWindow(WindowKind kind, int size);

  void record(Clock::time_point now, bool failed, bool slow);
  // Time based: forgets the seconds that have left the window first.
  [[nodiscard]] WindowTotals totals(Clock::time_point now);
  void clear();

 private:
  struct Bucket {
    std::int64_t second = 0;  // time based: which second the bucket counts
    WindowTotals totals;
  };
  void add(const WindowTotals& bucket, int sign);
  void expire(std::int64_t second);

  WindowKind kind_;
  std::vector<Bucket> buckets_;
  std::size_t next_ = 0;  // count based: the oldest call, overwritten next
  std::int64_t newest_second_ = 0;
  WindowTotals totals_;
};

}  // namespace eskit::runtime::resilience::detail
