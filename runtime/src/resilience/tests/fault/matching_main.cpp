// The tutoring write-up's matching context, reduced to what its breaker demonstration needs:
// POST /matches asks payment to approve the offered price through a ResilientClient set up
// exactly as the model's PayMatch relation (examples/tutoring/model.yaml): 680 ms timeout, a
// 10 s time window judged from 20 calls at 50 % failures, 5 s open, one trial call, and the
// "try later" rejection as fallback. 201 when payment approved, the fallback's 503
// problem+json when the breaker rejected the call or payment failed or timed out.
//
// Besides the relation's own series (eskit_breaker_state, eskit_breaker_calls_total) /metrics
// carries what the fault test judges:
//   matching_pay_match_duration_seconds{outcome}  time the handler spent, by outcome
//   matching_breaker_transitions_total{from,to}    each transition, since half-open lasts
//                                                  only as long as one trial call
#include <CLI/CLI.hpp>
#include <boost/json.hpp>

#include <array>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "eskit/runtime/http/client.hpp"
#include "eskit/runtime/http/problem.hpp"
#include "eskit/runtime/http/server.hpp"
#include "eskit/runtime/resilience/resilient_client.hpp"
#include "serve.hpp"

namespace http = eskit::runtime::http;
namespace resilience = eskit::runtime::resilience;
namespace json = boost::json;
using namespace std::chrono_literals;

namespace {

resilience::RelationConfig pay_match() {
  resilience::RelationConfig config;
  config.name = "PayMatch";
  config.timeout = 680ms;
  resilience::CircuitBreakerConfig breaker;
  breaker.window_kind = resilience::WindowKind::time_based;
  breaker.window_size = 10;
  breaker.minimum_calls = 20;
  breaker.failure_rate_threshold = 50;
  breaker.wait_in_open = 5s;
  breaker.permitted_calls_in_half_open = 1;
  config.breaker = breaker;
  config.fallback.kind = resilience::FallbackKind::reject;
  config.fallback.message = "payment is not available right now; please try later";
  return config;
}

// Fine around the two figures the demonstration is about: 5 ms for a rejection, 680 ms for
// the timeout.
std::vector<double> latency_bounds() {
  return {0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.4, 0.5,
          0.6,    0.68,  0.7,   0.75,  0.8,  0.9,   1.0,  1.5, 2.5,  5.0};
}

enum Outcome : std::size_t { success, refused, breaker_open, timeout, failure, kOutcomes };
constexpr std::array<const char*, kOutcomes> kOutcomeNames{"success", "refused", "breaker_open",
                                                           "timeout", "failure"};

// The fallback replaces a failed call's error by its 503, so the attempt's own result is kept
// here: the transport runs on the handler's thread, inside ResilientClient::call().
thread_local bool last_attempt_timed_out = false;

std::int64_t required_int(const json::object& body, const char* field) {
  const auto* value = body.if_contains(field);
  if (value == nullptr || !value->is_int64())
    throw http::Problem::invalid_field(field, "must be an integer");
  return value->as_int64();
}

http::Response relay(const http::ClientResponse& answer) {
  http::Response response;
  response.status = answer.status;
  response.headers = answer.headers;
  response.body = answer.body;
  return response;
}

}  // namespace

int main(int argc, char** argv) {
  eskit::runtime::resilience::fault::StopSignals signals;
  CLI::App app{"The tutoring matching context, calling payment through PayMatch."};
  std::string payment_url;
  unsigned workers = 16;
  app.add_option("--payment", payment_url, "payment's approve URL, http://host:port/payments")
      ->required();
  app.add_option("--workers", workers, "threads that handle requests")->check(CLI::Range(1, 256));
  CLI11_PARSE(app, argc, argv);

  auto metrics = std::make_shared<http::MetricsRegistry>();
  http::Client client;
  auto transport = [send = resilience::http_transport(client)](const http::ClientRequest& request) {
    auto result = send(request);
    last_attempt_timed_out = !result && result.error().code == http::ClientErrc::timeout;
    return result;
  };
  resilience::ResilientClient payment{pay_match(), transport, resilience::Clock::system(),
                                      metrics.get()};
  payment.breaker()->on_state_change(
      [&metrics](resilience::BreakerState from, resilience::BreakerState to) {
        metrics
            ->counter("matching_breaker_transitions_total", "PayMatch breaker transitions.",
                      {{"from", std::string(to_string(from))}, {"to", std::string(to_string(to))}})
            .inc();
      });
  std::array<http::Histogram*, kOutcomes> durations{};
  for (std::size_t i = 0; i < kOutcomes; ++i) {
    durations[i] = &metrics->histogram("matching_pay_match_duration_seconds",
                                       "Time POST /matches took, by PayMatch outcome.",
                                       {{"outcome", kOutcomeNames[i]}}, latency_bounds());
  }

  http::Router router;
  router.post("/matches", [&](http::Request& request) {
    // Measured here, in the caller, rather than by the load generator: on a loaded 2-core
    // machine the generator's figures include the time its own threads wait for a CPU, while
    // this is the time the breaker and the call took.
    auto start = std::chrono::steady_clock::now();
    const auto& body = request.json().as_object();
    auto match_id = required_int(body, "matchId");
    auto student_id = required_int(body, "studentId");
    auto price = required_int(body, "price");
    if (price <= 0)
      throw http::Problem::invalid_field("price", "the offered price must be more than zero");

    last_attempt_timed_out = false;
    auto answer = payment.call(
        http::ClientRequest::json(
            "POST", payment_url,
            json::object{{"matchId", match_id}, {"studentId", student_id}, {"price", price}}),
        request.deadline());
    Outcome outcome = failure;
    http::Response response;
    if (answer.outcome == resilience::CallOutcome::success && answer.result->status < 300) {
      outcome = success;
      response = http::Response::json(
          json::object{{"matchId", match_id},
                       {"studentId", student_id},
                       {"price", price},
                       {"status", "REQUESTED"},
                       {"paymentId", answer.result.response().json().at("paymentId")}},
          201);
    } else if (answer.outcome == resilience::CallOutcome::success) {
      outcome = refused;  // payment answered 4xx: the request is refused and no match exists
      response = http::Response::problem(
          http::Problem{422, "payment-refused", "payment refused the offered price"});
    } else if (!answer.result) {
      // Only without a fallback; kept so a change of PayMatch's fallback cannot crash matching.
      response = http::Response::problem(
          http::Problem{502, "payment-unavailable", answer.result.error().message});
    } else {
      if (answer.outcome == resilience::CallOutcome::breaker_open)
        outcome = breaker_open;
      else if (last_attempt_timed_out)
        outcome = timeout;
      response = relay(answer.result.response());
    }
    std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
    durations[outcome]->observe(took.count());
    return response;
  });

  http::ServerOptions options;
  options.worker_threads = workers;
  http::Server server{std::move(router), options, metrics};
  return signals.serve(server, "matching");
}
