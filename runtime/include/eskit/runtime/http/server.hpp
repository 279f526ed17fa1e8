#pragma once
// The HTTP server every service runs: routes, limits, timeouts, load shedding, graceful stop,
// and the endpoints every service has (/health, /ready, /metrics). Boost.Beast stays behind
// the pimpl.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "eskit/runtime/http/metrics.hpp"
#include "eskit/runtime/http/readiness.hpp"
#include "eskit/runtime/http/router.hpp"

namespace eskit::runtime::http {

struct ServerOptions {
  std::string address = "127.0.0.1";  // "0.0.0.0" to listen on every interface
  std::uint16_t port = 0;             // 0: an ephemeral port, see Server::port()
  // Threads that parse and write HTTP; they never run handlers, so the server can still
  // shed load (503) while every worker is busy.
  unsigned io_threads = 1;
  // Threads that run handlers, which may block (database, synchronous calls).
  unsigned worker_threads = 4;
  std::size_t max_body_bytes = 1024 * 1024;        // larger → 413
  std::size_t max_header_bytes = 16 * 1024;        // larger → 431
  std::chrono::milliseconds read_timeout{10'000};  // a started request must arrive in this
  std::chrono::milliseconds idle_timeout{60'000};  // keep-alive: close when no request starts
  std::chrono::milliseconds write_timeout{10'000};
  std::size_t max_concurrent_requests = 256;  // more in flight → 503 + Retry-After
  std::chrono::seconds retry_after{1};
  // Where the reasons for 500s go (they never reach the caller); empty: standard error.
  std::function<void(std::string_view)> error_log;
};

class Server {
 public:
  // The registry and readiness are shared so other modules can register into them; null
  // makes the server create its own.
  explicit Server(Router router, ServerOptions options = {},
                  std::shared_ptr<MetricsRegistry> metrics = nullptr,
                  std::shared_ptr<Readiness> readiness = nullptr);
  ~Server();  // stop() with the default grace
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds, listens and starts the threads; throws std::runtime_error when it cannot bind.
  void start();
  // The bound port (the ephemeral one when options.port is 0); 0 before start().
  [[nodiscard]] std::uint16_t port() const noexcept;

  // Graceful stop: stops accepting at once, closes idle keep-alive connections, lets
  // in-flight requests finish (answered with Connection: close) within `grace`, then closes
  // what is left. Returns when every thread has ended; a handler still running past the
  // grace is waited for, since a thread cannot be safely abandoned. Idempotent.
  void stop(std::chrono::milliseconds grace = std::chrono::milliseconds{10'000});

  [[nodiscard]] MetricsRegistry& metrics() noexcept;
  [[nodiscard]] Readiness& readiness() noexcept;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace eskit::runtime::http
