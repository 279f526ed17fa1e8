#include "test_server.hpp"

namespace eskit::runtime::http::test {

void Gate::open() {
  std::call_once(once_, [this] { promise_.set_value(); });
}

bool Gate::wait(std::chrono::milliseconds timeout) const {
  return future_.wait_for(timeout) == std::future_status::ready;
}

std::string ErrorLog::all() {
  std::lock_guard lock(mutex);
  std::string out;
  for (const auto& line : lines) out += line + '\n';
  return out;
}

TestServer::TestServer(Router router, ServerOptions options,
                       std::shared_ptr<MetricsRegistry> metrics,
                       std::shared_ptr<Readiness> readiness) {
  options.address = "127.0.0.1";
  options.port = 0;
  options.error_log = [log = errors_](std::string_view line) {
    std::lock_guard lock(log->mutex);
    log->lines.emplace_back(line);
  };
  server_ = std::make_unique<Server>(std::move(router), std::move(options), std::move(metrics),
                                     std::move(readiness));
  server_->start();
}

std::string TestServer::url(std::string_view path) const {
  return "http://127.0.0.1:" + std::to_string(port()) + std::string(path);
}

}  // namespace eskit::runtime::http::test
