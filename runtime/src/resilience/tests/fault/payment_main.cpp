// The tutoring write-up's payment context as its fault demonstration slows it: approving a
// payment takes a random 400–700 ms (the write-up's `Thread.sleep(400 + Math.random() * 300)`)
// on a small worker pool, like one small payment pod. A caller sending more than the pool can
// serve sees its calls queue past their timeout, which is what opens its breaker.
//
// The delay is changed at run time, without a restart, so a test can make payment recover
// while its caller's breaker is open. The control endpoint has a port and a worker of its own:
// on the payment port it would queue behind the slow approvals it is meant to end.
//   PUT /control/delay {"min_ms": 1, "max_ms": 5}
#include <CLI/CLI.hpp>
#include <boost/json.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <random>
#include <thread>

#include "eskit/runtime/http/problem.hpp"
#include "eskit/runtime/http/server.hpp"
#include "serve.hpp"

namespace http = eskit::runtime::http;
namespace json = boost::json;

namespace {

constexpr std::int64_t kMaxDelayMs = 60'000;

// Both bounds in one word, so a request never sees the minimum of one setting and the maximum
// of the other.
class Delay {
 public:
  Delay(std::int64_t min_ms, std::int64_t max_ms) { set(min_ms, max_ms); }

  void set(std::int64_t min_ms, std::int64_t max_ms) {
    bounds_.store(static_cast<std::uint64_t>(min_ms) << 32 | static_cast<std::uint64_t>(max_ms));
  }

  [[nodiscard]] std::chrono::milliseconds draw() const {
    thread_local std::mt19937_64 random{std::random_device{}()};
    auto bounds = bounds_.load();
    std::uniform_int_distribution<std::int64_t> uniform(static_cast<std::int64_t>(bounds >> 32),
                                                        static_cast<std::int64_t>(bounds & ~0U));
    return std::chrono::milliseconds{uniform(random)};
  }

 private:
  std::atomic<std::uint64_t> bounds_{0};
};

std::int64_t required_int(const json::object& body, const char* field) {
  const auto* value = body.if_contains(field);
  if (value == nullptr || !value->is_int64())
    throw http::Problem::invalid_field(field, "must be an integer");
  return value->as_int64();
}

// 400 naming the field, so a test or an operator sees which bound is wrong.
void check_delay(std::int64_t min_ms, std::int64_t max_ms) {
  if (min_ms < 0 || min_ms > kMaxDelayMs)
    throw http::Problem::invalid_field("min_ms", "must be between 0 and 60000");
  if (max_ms < min_ms || max_ms > kMaxDelayMs)
    throw http::Problem::invalid_field("max_ms", "must be between min_ms and 60000");
}

}  // namespace

int main(int argc, char** argv) {
  eskit::runtime::resilience::fault::StopSignals signals;
  CLI::App app{"The tutoring payment context, slowed for the breaker fault test."};
  unsigned workers = 2;
  std::int64_t min_ms = 400;
  std::int64_t max_ms = 700;
  app.add_option("--workers", workers, "threads that approve payments")->check(CLI::Range(1, 64));
  app.add_option("--min-delay-ms", min_ms, "shortest approval")->check(CLI::Range(0, 60'000));
  app.add_option("--max-delay-ms", max_ms, "longest approval")->check(CLI::Range(0, 60'000));
  CLI11_PARSE(app, argc, argv);
  if (max_ms < min_ms) {
    std::fprintf(stderr, "--max-delay-ms (%lld) must not be below --min-delay-ms (%lld)\n",
                 static_cast<long long>(max_ms), static_cast<long long>(min_ms));
    return 2;
  }

  Delay delay{min_ms, max_ms};
  std::atomic<std::int64_t> approved{0};
  http::Router router;
  http::Router control;
  router.post("/payments", [&](http::Request& request) {
    const auto& body = request.json().as_object();
    auto match_id = required_int(body, "matchId");
    if (required_int(body, "price") <= 0)
      throw http::Problem::invalid_field("price", "must be more than zero");
    // The approval's work, as slow as the fault makes it; it occupies one of the few workers.
    std::this_thread::sleep_for(delay.draw());
    return http::Response::json(
        json::object{{"paymentId", ++approved}, {"matchId", match_id}, {"status", "APPROVED"}},
        201);
  });
  control.put("/control/delay", [&](http::Request& request) {
    const auto& body = request.json().as_object();
    auto low = required_int(body, "min_ms");
    auto high = required_int(body, "max_ms");
    check_delay(low, high);
    delay.set(low, high);
    return http::Response::json(json::object{{"min_ms", low}, {"max_ms", high}});
  });

  http::ServerOptions options;
  options.worker_threads = workers;
  http::Server server{std::move(router), options};
  http::ServerOptions control_options;
  control_options.worker_threads = 1;
  http::Server control_server{std::move(control), control_options};
  return signals.serve(server, "payment", &control_server);
}
