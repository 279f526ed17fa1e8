// The gateway's cost, measured against its own reference in the same run on this machine: the
// same upstream under the same wrk load (a) called directly, (b) through the gateway on a
// public route, (c) through the gateway with a bearer token verified at the edge (HS256).
// Prints requests/s, p50 and p99 of each and the gateway's as ratios of the direct call's.
// Not a test: nothing fails on a slow figure.
#include <CLI/CLI.hpp>

#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>

#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <cstring>
#include <stdexcept>
#include <string>
#include <vector>

#include "eskit/runtime/auth/signer.hpp"
#include "eskit/runtime/gateway/gateway.hpp"
#include "eskit/runtime/http/client.hpp"
#include "eskit/runtime/http/server.hpp"

extern char** environ;

namespace {

namespace auth = eskit::runtime::auth;
namespace gateway = eskit::runtime::gateway;
namespace http = eskit::runtime::http;

// Not a real secret: the bench signs and verifies its own tokens.
const std::string bench_secret = "gateway-bench-only-hs256-secret-0123456789";

struct Load {
  double requests_per_second = 0;
  double p50_ms = 0;
  double p99_ms = 0;
  std::int64_t requests = 0;
  std::int64_t failures = 0;  // non-2xx answers and socket errors
};

// Runs argv to its end and returns its standard output.
std::string run(const std::vector<std::string>& argv) {
  std::array<int, 2> fds{};
  if (::pipe2(fds.data(), O_CLOEXEC) != 0) throw std::runtime_error("pipe2 failed");
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
  std::vector<char*> args;
  for (const auto& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  pid_t pid = -1;
  const int failed = ::posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(fds[1]);
  if (failed != 0) {
    ::close(fds[0]);
    throw std::runtime_error("cannot start " + argv[0] + ": " + std::strerror(failed));
  }
  std::string out;
  std::array<char, 4096> chunk{};
  for (;;) {
    const auto n = ::read(fds[0], chunk.data(), chunk.size());
    if (n <= 0) break;
    out.append(chunk.data(), static_cast<std::size_t>(n));
  }
  ::close(fds[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
    throw std::runtime_error(argv[0] + " failed: " + out);
  return out;
}

struct WrkSettings {
  int threads = 1;
  int connections = 16;
  int seconds = 5;
};

Load wrk(const WrkSettings& settings, std::uint16_t port, int seconds, const std::string& token) {
  const auto out = run({"wrk", "-t", std::to_string(settings.threads), "-c",
                        std::to_string(settings.connections), "-d", std::to_string(seconds) + "s",
                        "--timeout", "10s", "-s", ESKIT_BENCH_WRK_SCRIPT,
                        "http://127.0.0.1:" + std::to_string(port), "--", token});
  const auto at = out.find("wrk-summary ");
  if (at == std::string::npos) throw std::runtime_error("wrk printed no summary: " + out);
  const auto summary = boost::json::parse(out.substr(at + 12, out.find('\n', at) - at - 12));
  const auto& o = summary.as_object();
  Load load;
  load.requests = o.at("requests").to_number<std::int64_t>();
  load.requests_per_second =
      static_cast<double>(load.requests) / (o.at("duration_us").to_number<double>() / 1e6);
  load.p50_ms = o.at("p50_us").to_number<double>() / 1000.0;
  load.p99_ms = o.at("p99_us").to_number<double>() / 1000.0;
  load.failures =
      o.at("non_2xx").to_number<std::int64_t>() + o.at("socket_errors").to_number<std::int64_t>();
  return load;
}

// One answered request before the load, so a broken setup fails loudly instead of measuring
// error pages.
void expect_ok(std::uint16_t port, const std::string& token) {
  http::Client client;
  auto request =
      http::ClientRequest::get("http://127.0.0.1:" + std::to_string(port) + "/reviews/r-1");
  if (!token.empty()) request.headers.set("Authorization", "Bearer " + token);
  const auto result = client.call(request);
  if (!result || result->status != 200)
    throw std::runtime_error("the setup does not answer 200 on port " + std::to_string(port));
}

void print_row(const char* name, const Load& load, const Load& reference) {
  std::printf("  %-34s %10.0f req/s (%5.2fx)   p50 %6.3f ms (%5.2fx)   p99 %6.3f ms (%5.2fx)%s\n",
              name, load.requests_per_second,
              load.requests_per_second / reference.requests_per_second, load.p50_ms,
              load.p50_ms / reference.p50_ms, load.p99_ms, load.p99_ms / reference.p99_ms,
              load.failures ? "  FAILURES" : "");
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"gateway_bench: the gateway's added latency and its throughput, as ratios"};
  WrkSettings settings;
  unsigned upstream_workers = 2;
  unsigned gateway_workers = 16;
  app.add_option("--seconds", settings.seconds, "wrk duration per measurement");
  app.add_option("--connections", settings.connections, "wrk connections");
  app.add_option("--threads", settings.threads, "wrk threads");
  app.add_option("--upstream-workers", upstream_workers, "the upstream's handler threads");
  app.add_option("--gateway-workers", gateway_workers, "the gateway's handler threads");
  CLI11_PARSE(app, argc, argv);

  try {
    // The upstream: a constant small JSON document per id, as a read model's GET is.
    http::Router router;
    router.get("/reviews/{reviewId}", [](http::Request& request) {
      return http::Response::json(boost::json::object{
          {"reviewId", request.param("reviewId")}, {"stars", 5}, {"text", "a fine course"}});
    });
    router.get("/ready", [](http::Request&) { return http::Response::text("ready"); });
    http::ServerOptions upstream_options;
    upstream_options.worker_threads = upstream_workers;
    upstream_options.max_concurrent_requests = 4096;
    http::Server upstream(std::move(router), upstream_options);
    upstream.start();

    gateway::GatewayOptions options;
    options.upstreams = {{"review", "http://127.0.0.1:" + std::to_string(upstream.port())}};
    options.routes = {{"/reviews", "review"}};
    options.verifier = auth::JwtVerifier({.algorithm = auth::Algorithm::hs256,
                                          .keys = {bench_secret},
                                          .issuer = "https://login.bench",
                                          .audiences = {"bench"}});
    options.server.worker_threads = gateway_workers;
    options.server.max_concurrent_requests = 4096;
    gateway::GatewayOptions public_options = options;
    public_options.public_paths = {"/reviews"};
    gateway::Gateway protected_gateway(std::move(options));
    gateway::Gateway public_gateway(std::move(public_options));
    protected_gateway.start();
    public_gateway.start();

    const auto token = auth::JwtSigner({.algorithm = auth::Algorithm::hs256,
                                        .key = bench_secret,
                                        .issuer = "https://login.bench",
                                        .audiences = {"bench"},
                                        .lifetime = std::chrono::hours{1},
                                        .key_id = "",
                                        .clock = {}})
                           .sign({.subject = "bench-user", .roles = {"CUSTOMER"}})
                           .token;
    expect_ok(upstream.port(), "");
    expect_ok(public_gateway.port(), "");
    expect_ok(protected_gateway.port(), token);

    // Warm-ups, then the measurements back to back so the machine's state is comparable.
    wrk(settings, upstream.port(), 1, "");
    const auto direct = wrk(settings, upstream.port(), settings.seconds, "");
    wrk(settings, public_gateway.port(), 1, "");
    const auto through = wrk(settings, public_gateway.port(), settings.seconds, "");
    wrk(settings, protected_gateway.port(), 1, token);
    const auto verified = wrk(settings, protected_gateway.port(), settings.seconds, token);

    std::printf(
        "gateway: wrk -t%d -c%d -d%ds, keep-alive, GET of a small JSON document, after a 1 s "
        "warm-up;\nupstream %u workers, gateway %u workers, all on this machine\n",
        settings.threads, settings.connections, settings.seconds, upstream_workers,
        gateway_workers);
    std::printf("  %-34s %10.0f req/s           p50 %6.3f ms           p99 %6.3f ms%s\n",
                "upstream called directly (ref)", direct.requests_per_second, direct.p50_ms,
                direct.p99_ms, direct.failures ? "  FAILURES" : "");
    print_row("through the gateway, public route", through, direct);
    print_row("through the gateway, JWT verified", verified, direct);
    std::printf("  added latency at p50: %.3f ms public, %.3f ms with a token\n",
                through.p50_ms - direct.p50_ms, verified.p50_ms - direct.p50_ms);
    return direct.failures + through.failures + verified.failures == 0 ? 0 : 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "gateway_bench: %s\n", e.what());
    return 1;
  }
}
