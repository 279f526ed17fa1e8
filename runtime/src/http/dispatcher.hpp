#pragma once
// From a parsed request to a response, with no I/O: routing, the JSON body contract, problems
// from thrown errors, the built-in endpoints and per-route metrics. The connection code only
// moves bytes; everything a handler author can observe is decided here.
#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "eskit/runtime/http/metrics.hpp"
#include "eskit/runtime/http/readiness.hpp"
#include "eskit/runtime/http/router.hpp"

namespace eskit::runtime::http {

class Dispatcher {
 public:
  using ErrorLog = std::function<void(std::string_view)>;

  Dispatcher(Router router, std::shared_ptr<MetricsRegistry> metrics,
             std::shared_ptr<Readiness> readiness, ErrorLog error_log);
  Dispatcher(const Dispatcher&) = delete;
  Dispatcher& operator=(const Dispatcher&) = delete;

  // Never throws: every failure is a problem response. `remote_address` is the peer's IP.
  Response handle(std::string method, std::string target, Headers headers, std::string body,
                  std::string remote_address = {});

  // The route template a request would take ("unmatched" otherwise), for requests the
  // connection answers itself (shed, too large) so they are counted per route too.
  [[nodiscard]] std::string route_label(std::string_view method, std::string_view target) const;
  void record(std::string_view method, std::string_view route, int status, double seconds);

  // /ready answers 503 from now on: the instance is going away.
  void set_draining() noexcept { draining_.store(true); }

  [[nodiscard]] MetricsRegistry& metrics() noexcept { return *metrics_; }
  [[nodiscard]] Readiness& readiness() noexcept { return *readiness_; }

 private:
  Response ready() const;

  Router router_;
  std::shared_ptr<MetricsRegistry> metrics_;
  std::shared_ptr<Readiness> readiness_;
  ErrorLog error_log_;
  std::atomic<bool> draining_{false};
};

// "GET" … as themselves; anything else as "OTHER", so a scanner's made-up methods cannot
// blow up the metrics' label cardinality.
[[nodiscard]] std::string_view method_label(std::string_view method) noexcept;

}  // namespace eskit::runtime::http
