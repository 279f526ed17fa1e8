// The history over HTTP and the metrics, on both backends: the route answers an instance with
// its history as JSON, 404 problems for unknown sagas and instances; the gauges count
// instances by state from the database.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "eskit/runtime/http/metrics.hpp"
#include "eskit/runtime/http/problem.hpp"
#include "eskit/runtime/http/request.hpp"
#include "eskit/runtime/http/router.hpp"
#include "eskit/runtime/saga/orchestrator.hpp"
#include "eskit/runtime/saga/routes.hpp"
#include "saga_fixture.hpp"

namespace eskit::runtime::saga {
namespace {

using namespace testing;

class RoutesTest : public SagaTest {
 protected:
  // Routes and calls the handler as the server would; a thrown Problem becomes its status.
  std::pair<int, std::string> get(const http::Router& router, const std::string& target) {
    http::Request request("GET", target);
    const auto match = router.match("GET", request.segments());
    if (match.outcome != http::RouteMatch::Outcome::found) return {0, "no route"};
    request.set_route(match.route->path_template, match.params);
    try {
      auto response = match.route->handler(request);
      return {response.status, response.body};
    } catch (const http::Problem& problem) {
      return {problem.status(), problem.to_json()};
    }
  }
};

TEST_P(RoutesTest, AnInstanceAndItsHistoryAsJson) {
  Orchestrator orders(db(), order_saga());
  ASSERT_TRUE(start(orders, db(), "o-1", R"({"amount":30})"));
  const auto reserved = reply("StockReserved", "o-1");
  deliver(orders, db(), reserved);
  deliver(orders, db(), reply("CardDeclined", "o-1"));
  http::Router router;
  add_routes(router, db(), {"PlaceOrder"});

  const auto [status, body] = get(router, "/sagas/PlaceOrder/o-1");
  ASSERT_EQ(status, 200) << body;
  const auto json = boost::json::parse(body).as_object();
  EXPECT_EQ(json.at("saga").as_string(), "PlaceOrder");
  EXPECT_EQ(json.at("correlationId").as_string(), "o-1");
  EXPECT_EQ(json.at("state").as_string(), "compensating");
  EXPECT_EQ(json.at("step").as_string(), "charge");
  EXPECT_EQ(json.at("failure").as_string(), "CardDeclined from participant");
  EXPECT_EQ(json.at("pending"), boost::json::parse("[0]"));
  EXPECT_EQ(json.at("data"), boost::json::parse(R"({"amount":30})"));
  const auto& history = json.at("history").as_array();
  ASSERT_EQ(history.size(), 6u);
  EXPECT_EQ(history[2].at("kind").as_string(), "step_completed");
  EXPECT_EQ(history[2].at("step").as_string(), "reserve");
  EXPECT_EQ(history[2].at("messageType").as_string(), "StockReserved");
  EXPECT_EQ(history[2].at("messageId").as_string(), reserved.event_id);
  EXPECT_EQ(history[5].at("kind").as_string(), "compensation_sent");
  EXPECT_EQ(history[5].at("messageType").as_string(), "ReleaseStock");
  EXPECT_TRUE(history[0].at("at").as_string().ends_with("Z"));
}

TEST_P(RoutesTest, UnknownSagasAndInstancesAre404WithAHint) {
  http::Router router;
  add_routes(router, db(), {"PlaceOrder"});
  const auto [saga_status, saga_body] = get(router, "/sagas/PlaceOrdr/o-1");
  EXPECT_EQ(saga_status, 404);
  EXPECT_NE(saga_body.find("did you mean 'PlaceOrder'?"), std::string::npos) << saga_body;
  const auto [instance_status, instance_body] = get(router, "/sagas/PlaceOrder/o-404");
  EXPECT_EQ(instance_status, 404);
  EXPECT_NE(instance_body.find("no instance with correlation id 'o-404'"), std::string::npos)
      << instance_body;
}

TEST_P(RoutesTest, MetricsCountInstancesByStateFromTheDatabase) {
  http::MetricsRegistry metrics;
  Orchestrator orders(db(), order_saga(), &metrics);
  for (const auto* id : {"o-1", "o-2", "o-3"}) ASSERT_TRUE(start(orders, db(), id));
  deliver(orders, db(), reply("OutOfStock", "o-2"));
  // A second replica's instances count too: the numbers come from the shared tables.
  const auto text = metrics.render();
  auto has = [&](const std::string& line) { return text.find(line) != std::string::npos; };
  EXPECT_TRUE(has(R"(eskit_saga_instances{saga="PlaceOrder",state="running"} 2)")) << text;
  EXPECT_TRUE(has(R"(eskit_saga_instances{saga="PlaceOrder",state="compensated"} 1)")) << text;
  EXPECT_TRUE(has(R"(eskit_saga_instances{saga="PlaceOrder",state="completed"} 0)")) << text;
  EXPECT_TRUE(has(R"(eskit_saga_in_flight{saga="PlaceOrder"} 2)")) << text;
}

ESKIT_ON_BOTH_BACKENDS(RoutesTest);

}  // namespace
}  // namespace eskit::runtime::saga
