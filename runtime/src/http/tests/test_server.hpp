#pragma once
// What the socket tests share: a started server on 127.0.0.1 and an ephemeral port, a
// one-shot gate handlers block on, and a captured error log.
#include <chrono>
#include <future>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "eskit/runtime/http/server.hpp"

namespace eskit::runtime::http::test {

// Opened once, waited on with a deadline: how tests hold a handler in flight without sleeping.
class Gate {
 public:
  void open();
  // True when opened before the deadline.
  bool wait(std::chrono::milliseconds timeout = std::chrono::milliseconds{5000}) const;

 private:
  std::promise<void> promise_;
  std::shared_future<void> future_ = promise_.get_future().share();
  std::once_flag once_;
};

struct ErrorLog {
  std::mutex mutex;
  std::vector<std::string> lines;
  std::string all();
};

class TestServer {
 public:
  explicit TestServer(Router router, ServerOptions options = {},
                      std::shared_ptr<MetricsRegistry> metrics = nullptr,
                      std::shared_ptr<Readiness> readiness = nullptr);

  [[nodiscard]] std::uint16_t port() const { return server_->port(); }
  [[nodiscard]] std::string url(std::string_view path) const;
  [[nodiscard]] Server& server() { return *server_; }
  [[nodiscard]] ErrorLog& errors() { return *errors_; }

 private:
  std::shared_ptr<ErrorLog> errors_ = std::make_shared<ErrorLog>();
  std::unique_ptr<Server> server_;
};

}  // namespace eskit::runtime::http::test
