#pragma once
// A synchronous HTTP/1.1 client for service-to-service calls: one call, one total deadline,
// connections kept alive and reused per host:port. Failures come back as values
// (ClientError), never as exceptions carrying Asio types.
#include <boost/json/fwd.hpp>

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

#include "eskit/runtime/http/headers.hpp"

namespace eskit::runtime::http {

struct ClientRequest {
  std::string method = "GET";
  std::string url;  // http://host:port/path?query (https is not supported yet)
  Headers headers;
  std::string body;
  // The whole call: connect, send, receive. Also sent as X-Request-Deadline.
  std::chrono::milliseconds timeout{5'000};

  static ClientRequest get(std::string url);
  // Serializes `body` and sets Content-Type: application/json.
  static ClientRequest json(std::string method, std::string url, const boost::json::value& body);
};

struct ClientResponse {
  int status = 0;
  Headers headers;
  std::string body;

  // The body as JSON; throws std::runtime_error when it does not parse.
  [[nodiscard]] boost::json::value json() const;
};

enum class ClientErrc {
  invalid_url,         // not an absolute http:// URL
  host_not_found,      // name resolution failed
  connection_refused,  // nothing listens there
  timeout,             // the deadline passed
  connection_failed,   // reset, closed early, other socket errors
  protocol_error,      // the peer's answer is not valid HTTP or too large
  shutting_down,       // the client was destroyed during the call
};

struct ClientError {
  ClientErrc code;
  std::string message;
};

// A response (any status: a 4xx/5xx is an answer, not a failure) or why there is none.
class CallResult {
 public:
  CallResult(ClientResponse response) : value_(std::move(response)) {}  // NOLINT: implicit
  CallResult(ClientError error) : value_(std::move(error)) {}           // NOLINT: implicit

  [[nodiscard]] bool ok() const noexcept { return value_.index() == 0; }
  explicit operator bool() const noexcept { return ok(); }
  // Throw std::logic_error when called on the other alternative.
  [[nodiscard]] const ClientResponse& response() const;
  [[nodiscard]] const ClientError& error() const;
  const ClientResponse* operator->() const { return &response(); }

 private:
  std::variant<ClientResponse, ClientError> value_;
};

struct ClientOptions {
  std::size_t max_idle_per_host = 8;
  // Pooled connections idle longer are dropped, so the server's idle timeout (60 s by
  // default) never closes one under a request.
  std::chrono::milliseconds max_idle_time{30'000};
  std::size_t max_response_bytes = 8 * 1024 * 1024;
  bool send_deadline_header = true;  // X-Request-Deadline: absolute epoch milliseconds
  std::string user_agent = "eskit";
};

class Client {
 public:
  explicit Client(ClientOptions options = {});
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  // Blocks until the answer or the deadline; safe to call from many threads at once.
  [[nodiscard]] CallResult call(const ClientRequest& request);

  // Connections opened so far and idle in the pool now: for tests and metrics.
  [[nodiscard]] std::size_t connections_opened() const noexcept;
  [[nodiscard]] std::size_t idle_connections() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

[[nodiscard]] std::string_view to_string(ClientErrc code) noexcept;

}  // namespace eskit::runtime::http
