#pragma once
// What a caller gets instead of an answer when the callee is not called (breaker open,
// bulkhead full, rate limited) or failed: a fixed response, the last answer cached for the
// same request, or a clear 503 "try later" problem with Retry-After.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <string>

#include "eskit/runtime/http/client.hpp"

namespace eskit::runtime::resilience {

enum class FallbackKind : std::uint8_t {
  none,    // failures reach the caller as they are; what was not called gets the 503
  reject,  // the 503 problem "try-later" with `message`
  fixed,   // 200 with `fixed_body` (JSON)
  cached,  // the last 2xx answer to the same method, URL and body; the 503 when there is none
};

struct FallbackConfig {
  FallbackKind kind = FallbackKind::none;
  std::string message = "the service is not available, please try later";
  std::string fixed_body = "{}";
  std::size_t cache_entries = 1'000;  // the oldest answer is forgotten first
};

class Fallback {
 public:
  explicit Fallback(FallbackConfig config);

  // Keeps a 2xx answer for `cached`; does nothing for the other kinds.
  void remember(const http::ClientRequest& request, const http::ClientResponse& response);
  // The response to give instead; `retry_after` is rounded up to whole seconds, at least 1.
  [[nodiscard]] http::ClientResponse answer(const http::ClientRequest& request,
                                            std::chrono::nanoseconds retry_after) const;

 private:
  [[nodiscard]] http::ClientResponse try_later(std::chrono::nanoseconds retry_after) const;

  FallbackConfig config_;
  mutable std::mutex mutex_;
  std::map<std::string, http::ClientResponse, std::less<>> cache_;
  std::deque<std::string> order_;  // cache keys, oldest first
};

}  // namespace eskit::runtime::resilience
