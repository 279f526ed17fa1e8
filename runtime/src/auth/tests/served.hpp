#pragma once
// A real http::Server on 127.0.0.1 and an ephemeral port, for end-to-end tests of guards and
// the login endpoint; handler failures it logs are kept for assertions.
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "eskit/runtime/http/server.hpp"

namespace eskit::runtime::auth::test {

class Served {
 public:
  explicit Served(http::Router router, http::ServerOptions options = {}) {
    options.address = "127.0.0.1";
    options.port = 0;
    options.error_log = [log = log_](std::string_view line) {
      std::lock_guard lock(log->mutex);
      log->lines.emplace_back(line);
    };
    server_ = std::make_unique<http::Server>(std::move(router), std::move(options));
    server_->start();
  }

  [[nodiscard]] std::string url(std::string_view path) const {
    return "http://127.0.0.1:" + std::to_string(server_->port()) + std::string(path);
  }
  [[nodiscard]] std::vector<std::string> errors() const {
    std::lock_guard lock(log_->mutex);
    return log_->lines;
  }

 private:
  struct Log {
    std::mutex mutex;
    std::vector<std::string> lines;
  };
  std::shared_ptr<Log> log_ = std::make_shared<Log>();
  std::unique_ptr<http::Server> server_;
};

}  // namespace eskit::runtime::auth::test
