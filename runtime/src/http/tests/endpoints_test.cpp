// The endpoints every service has: /health, /ready, /metrics.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include <atomic>

#include "eskit/runtime/http/client.hpp"
#include "test_server.hpp"

namespace eskit::runtime::http::test {
namespace {

Router call_routes() {
  Router router;
  router.get("/calls/{callId}", [](Request&) { return Response::text("call"); });
  return router;
}

TEST(Endpoints, HealthIsUp) {
  TestServer server{call_routes()};
  Client client;
  auto result = client.call(ClientRequest::get(server.url("/health")));
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 200);
  EXPECT_EQ(result->json(), boost::json::parse(R"({"status":"up"})"));
}

TEST(Endpoints, ReadyListsChecksAndTurns503WithTheReasonWhenOneFails) {
  auto readiness = std::make_shared<Readiness>();
  std::atomic<bool> broker_connected{true};
  readiness->add("database", [] { return CheckResult::healthy(); });
  readiness->add("broker", [&] {
    return broker_connected ? CheckResult::healthy() : CheckResult::failing("no broker for 12 s");
  });
  TestServer server{call_routes(), {}, nullptr, readiness};
  Client client;

  auto ready = client.call(ClientRequest::get(server.url("/ready")));
  ASSERT_TRUE(ready);
  EXPECT_EQ(ready->status, 200);
  EXPECT_EQ(
      ready->json(),
      boost::json::parse(
          R"({"status":"ready","checks":[{"name":"database","status":"ok"},{"name":"broker","status":"ok"}]})"));

  broker_connected = false;
  auto not_ready = client.call(ClientRequest::get(server.url("/ready")));
  ASSERT_TRUE(not_ready);
  EXPECT_EQ(not_ready->status, 503);
  EXPECT_EQ(not_ready->headers.get("Content-Type"), "application/problem+json");
  auto problem = not_ready->json();
  EXPECT_EQ(problem.at("type"), "urn:eskit:problem:not-ready");
  EXPECT_EQ(problem.at("detail"), "broker: no broker for 12 s");
  EXPECT_EQ(problem.at("checks").at(1).at("reason"), "no broker for 12 s");
}

TEST(Endpoints, CheckThatThrowsIsFailing) {
  TestServer server{call_routes()};
  server.server().readiness().add("relay",
                                  []() -> CheckResult { throw std::runtime_error("relay stuck"); });
  Client client;
  auto result = client.call(ClientRequest::get(server.url("/ready")));
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 503);
  EXPECT_NE(result->body.find("relay stuck"), std::string::npos);
}

TEST(Endpoints, MetricsExposeRouteCountersHistogramsAndOtherModulesSeries) {
  auto registry = std::make_shared<MetricsRegistry>();
  registry->gauge_function("outbox_backlog", "Rows waiting in the outbox", {}, [] { return 3.0; });
  TestServer server{call_routes(), {}, registry};
  Client client;
  for (auto id : {"1", "2"})
    ASSERT_TRUE(client.call(ClientRequest::get(server.url(std::string("/calls/") + id))));
  ASSERT_TRUE(client.call(ClientRequest::get(server.url("/nowhere"))));

  auto result = client.call(ClientRequest::get(server.url("/metrics")));
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 200);
  EXPECT_EQ(result->headers.get("Content-Type"), "text/plain; version=0.0.4; charset=utf-8");
  const std::string& text = result->body;
  for (const char* line : {
           "# TYPE http_server_requests_total counter\n",
           "http_server_requests_total{method=\"GET\",route=\"/calls/{callId}\",status=\"200\"} "
           "2\n",
           "http_server_requests_total{method=\"GET\",route=\"unmatched\",status=\"404\"} 1\n",
           "# TYPE http_server_request_duration_seconds histogram\n",
           "http_server_request_duration_seconds_bucket{method=\"GET\",route=\"/calls/"
           "{callId}\",le=\"0.005\"} ",
           "http_server_request_duration_seconds_bucket{method=\"GET\",route=\"/calls/"
           "{callId}\",le=\"+Inf\"} 2\n",
           "http_server_request_duration_seconds_sum{method=\"GET\",route=\"/calls/{callId}\"} ",
           "http_server_request_duration_seconds_count{method=\"GET\",route=\"/calls/{callId}\"} "
           "2\n",
           "http_server_connections_total 1\n",
           "outbox_backlog 3\n",
       })
    EXPECT_NE(text.find(line), std::string::npos) << "missing: " << line << "\nin:\n" << text;
}

}  // namespace
}  // namespace eskit::runtime::http::test
