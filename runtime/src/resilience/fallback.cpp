#include "eskit/runtime/resilience/fallback.hpp"

#include <algorithm>
#include <string>

#include "eskit/runtime/http/problem.hpp"

namespace eskit::runtime::resilience {
namespace {

// The body is part of the key: two commands to the same URL are different requests.
std::string key_of(const http::ClientRequest& request) {
  std::string key;
  key.reserve(request.method.size() + request.url.size() + request.body.size() + 2);
  key.append(request.method).append(" ").append(request.url).append("\n").append(request.body);
  return key;
}

}  // namespace

Fallback::Fallback(FallbackConfig config) : config_(std::move(config)) {}

void Fallback::remember(const http::ClientRequest& request, const http::ClientResponse& response) {
  if (config_.kind != FallbackKind::cached || response.status < 200 || response.status >= 300 ||
      config_.cache_entries == 0)
    return;
  auto key = key_of(request);
  std::lock_guard lock(mutex_);
  auto [entry, inserted] = cache_.insert_or_assign(key, response);
  if (!inserted) return;
  order_.push_back(std::move(key));
  if (order_.size() > config_.cache_entries) {
    cache_.erase(order_.front());
    order_.pop_front();
  }
}

http::ClientResponse Fallback::answer(const http::ClientRequest& request,
                                      std::chrono::nanoseconds retry_after) const {
  if (config_.kind == FallbackKind::fixed) {
    http::ClientResponse response;
    response.status = 200;
    response.headers.set("Content-Type", "application/json");
    response.body = config_.fixed_body;
    return response;
  }
  if (config_.kind == FallbackKind::cached) {
    std::lock_guard lock(mutex_);
    if (auto hit = cache_.find(key_of(request)); hit != cache_.end()) return hit->second;
  }
  return try_later(retry_after);
}

http::ClientResponse Fallback::try_later(std::chrono::nanoseconds retry_after) const {
  auto seconds = std::max<std::chrono::seconds::rep>(
      1, std::chrono::ceil<std::chrono::seconds>(retry_after).count());
  http::Problem problem{503, "try-later", config_.message};
  http::ClientResponse response;
  response.status = 503;
  response.headers.set("Content-Type", "application/problem+json");
  response.headers.set("Retry-After", std::to_string(seconds));
  response.body = problem.to_json();
  return response;
}

}  // namespace eskit::runtime::resilience
