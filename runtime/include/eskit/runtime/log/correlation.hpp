// The correlation id of the work the current thread is doing, written on every log line.
#pragma once

#include <string>
#include <string_view>

namespace eskit::runtime::log {

/// Sets the current thread's correlation id for its lifetime and restores the previous one
/// when it ends, so scopes nest (a request, then a saga step inside it). Each thread has its
/// own: work handed to another thread takes `current_correlation_id()` with it and opens a
/// scope there.
class CorrelationScope {
 public:
  explicit CorrelationScope(std::string id);
  ~CorrelationScope();
  CorrelationScope(const CorrelationScope&) = delete;
  CorrelationScope& operator=(const CorrelationScope&) = delete;

 private:
  std::string previous_;
  bool had_previous_;
};

/// The innermost open scope's id on this thread; empty when none is open.
std::string_view current_correlation_id();

}  // namespace eskit::runtime::log
