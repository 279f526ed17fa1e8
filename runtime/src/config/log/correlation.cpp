#include "eskit/runtime/log/correlation.hpp"

#include <optional>

namespace eskit::runtime::log {

namespace {
// One per thread: a scope opened on one thread is never seen by another.
thread_local std::optional<std::string> current;
}  // namespace

CorrelationScope::CorrelationScope(std::string id) : had_previous_(current.has_value()) {
  if (had_previous_) previous_ = std::move(*current);
  current = std::move(id);
}

CorrelationScope::~CorrelationScope() {
  if (had_previous_) {
    current = std::move(previous_);
  } else {
    current.reset();
  }
}

std::string_view current_correlation_id() {
  return current ? std::string_view(*current) : std::string_view();
}

}  // namespace eskit::runtime::log
