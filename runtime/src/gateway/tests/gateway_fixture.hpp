#pragma once
// What the gateway tests share: an upstream that reports exactly what reached it, a gateway in
// front of it on loopback, tokens signed with a test-only key, and waiting on a condition with
// a deadline instead of sleeping.
#include <boost/json/value.hpp>

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "eskit/runtime/auth/signer.hpp"
#include "eskit/runtime/auth/verifier.hpp"
#include "eskit/runtime/gateway/gateway.hpp"
#include "eskit/runtime/http/client.hpp"
#include "eskit/runtime/http/readiness.hpp"
#include "test_server.hpp"

namespace eskit::runtime::gateway::test {

// Not a real secret: long enough for HS256 and used by these tests only.
inline const std::string test_secret = "gateway-tests-only-hs256-secret-0123456789";
inline const std::string test_issuer = "https://login.test";
inline const std::string test_audience = "datecourse";

[[nodiscard]] auth::JwtVerifier test_verifier();
// A token for `subject` with `roles`, issued `age` ago with `lifetime`.
[[nodiscard]] std::string token_for(const std::string& subject, std::vector<std::string> roles = {},
                                    std::chrono::seconds age = std::chrono::seconds{0},
                                    std::chrono::seconds lifetime = std::chrono::seconds{900});

// A request as the upstream received it.
struct Seen {
  std::string method;
  std::string target;
  http::Headers headers;
  std::string body;
};

// Answers every path: "/…/status/<n>" with status n, "/…/slow" after `release` opens, anything
// else 200 with "<name>:<target>"; each answer carries X-Upstream: <name> and the request it
// saw is kept. /ready answers from `ready` (a Readiness check).
class EchoUpstream {
 public:
  explicit EchoUpstream(std::string name);
  ~EchoUpstream();

  [[nodiscard]] std::string base_url() const { return server_->url(""); }
  [[nodiscard]] std::uint16_t port() const { return server_->port(); }
  [[nodiscard]] std::vector<Seen> seen() const;
  [[nodiscard]] std::size_t count() const;
  [[nodiscard]] http::Server& server() { return server_->server(); }

  std::atomic<bool> ready{true};
  http::test::Gate release;
  // Extra response fields for every answer (e.g. repeated Set-Cookie).
  http::Headers extra_response_headers;

 private:
  http::Response answer(http::Request& request);

  std::string name_;
  mutable std::mutex mutex_;
  std::vector<Seen> seen_;
  std::unique_ptr<http::test::TestServer> server_;
};

// Options for a gateway on 127.0.0.1:0 with quick health checks and a verifier.
[[nodiscard]] GatewayOptions loopback_options();

// Calls the gateway on 127.0.0.1:`port`.
[[nodiscard]] http::CallResult call(std::uint16_t port, const std::string& method,
                                    const std::string& target, http::Headers headers = {},
                                    std::string body = {});

// Polls `condition` until it holds or `timeout` passes; true when it held.
bool eventually(const std::function<bool()>& condition,
                std::chrono::milliseconds timeout = std::chrono::milliseconds{10'000});

// The field's values in order, for checking repeated fields survive.
[[nodiscard]] std::vector<std::string> values(const http::Headers& headers, std::string_view name);

}  // namespace eskit::runtime::gateway::test
