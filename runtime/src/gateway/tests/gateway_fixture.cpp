#include "gateway_fixture.hpp"

#include <thread>

namespace eskit::runtime::gateway::test {

auth::JwtVerifier test_verifier() {
  return auth::JwtVerifier({.algorithm = auth::Algorithm::hs256,
                            .keys = {test_secret},
                            .issuer = test_issuer,
                            .audiences = {test_audience}});
}

std::string token_for(const std::string& subject, std::vector<std::string> roles,
                      std::chrono::seconds age, std::chrono::seconds lifetime) {
  const auto issued_at = std::chrono::system_clock::now() - age;
  auth::JwtSigner signer({.algorithm = auth::Algorithm::hs256,
                          .key = test_secret,
                          .issuer = test_issuer,
                          .audiences = {test_audience},
                          .lifetime = lifetime,
                          .key_id = "",
                          .clock = [issued_at] { return issued_at; }});
  return signer.sign({.subject = subject, .roles = std::move(roles)}).token;
}

EchoUpstream::EchoUpstream(std::string name) : name_(std::move(name)) {
  http::Router router;
  router.fallback([this](http::Request& request) { return answer(request); });
  auto readiness = std::make_shared<http::Readiness>();
  readiness->add("test", [this] {
    return ready.load() ? http::CheckResult::healthy()
                        : http::CheckResult::failing("the test says so");
  });
  server_ = std::make_unique<http::test::TestServer>(std::move(router), http::ServerOptions{},
                                                     nullptr, std::move(readiness));
}

EchoUpstream::~EchoUpstream() { release.open(); }

http::Response EchoUpstream::answer(http::Request& request) {
  {
    std::lock_guard lock(mutex_);
    seen_.push_back({request.method(), request.target(), request.headers(), request.body()});
  }
  const auto& segments = request.segments();
  http::Response response;
  if (segments.size() >= 2 && segments[segments.size() - 2] == "status") {
    const int status = std::stoi(segments.back());
    // 204 and 304 never have a body.
    response = http::Response::text(
        status == 204 || status == 304 ? "" : "status " + segments.back(), status);
  } else if (!segments.empty() && segments.back() == "slow") {
    release.wait(std::chrono::milliseconds{10'000});
    response = http::Response::text("slow");
  } else {
    response = http::Response::text(name_ + ":" + request.target());
  }
  response.headers.set("X-Upstream", name_);
  for (const auto& [field, value] : extra_response_headers) response.headers.add(field, value);
  return response;
}

std::vector<Seen> EchoUpstream::seen() const {
  std::lock_guard lock(mutex_);
  return seen_;
}

std::size_t EchoUpstream::count() const {
  std::lock_guard lock(mutex_);
  return seen_.size();
}

GatewayOptions loopback_options() {
  GatewayOptions options;
  options.verifier = test_verifier();
  options.server.address = "127.0.0.1";
  options.server.port = 0;
  options.server.worker_threads = 8;
  options.server.error_log = [](std::string_view) {};
  options.monitor.interval = std::chrono::milliseconds{50};
  options.monitor.timeout = std::chrono::milliseconds{2'000};
  return options;
}

http::CallResult call(std::uint16_t port, const std::string& method, const std::string& target,
                      http::Headers headers, std::string body) {
  static http::Client client;
  http::ClientRequest request;
  request.method = method;
  request.url = "http://127.0.0.1:" + std::to_string(port) + target;
  request.headers = std::move(headers);
  request.body = std::move(body);
  request.timeout = std::chrono::milliseconds{10'000};
  return client.call(request);
}

bool eventually(const std::function<bool()>& condition, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds{10});  // a poll interval, not a wait
  }
  return condition();
}

std::vector<std::string> values(const http::Headers& headers, std::string_view name) {
  std::vector<std::string> out;
  for (const auto& [field, value] : headers)
    if (http::iequals(field, name)) out.push_back(value);
  return out;
}

}  // namespace eskit::runtime::gateway::test
