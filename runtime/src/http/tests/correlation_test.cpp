// The correlation id follows the work: taken from the request (or made), visible to the
// handler through log::current_correlation_id(), echoed in the response, and forwarded by the
// client on calls the handler makes.
#include <gtest/gtest.h>

#include <regex>

#include "eskit/runtime/http/client.hpp"
#include "eskit/runtime/log/correlation.hpp"
#include "test_server.hpp"

namespace eskit::runtime::http::test {
namespace {

const std::regex uuid_v4("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");

// Answers with the correlation id the handler sees.
Router echo_routes() {
  Router router;
  router.get("/whoami",
             [](Request&) { return Response::text(std::string(log::current_correlation_id())); });
  return router;
}

ClientResponse get(TestServer& server, Headers headers = {}) {
  Client client;
  auto request = ClientRequest::get(server.url("/whoami"));
  request.headers = std::move(headers);
  auto result = client.call(request);
  if (!result) ADD_FAILURE() << result.error().message;
  return result ? result.response() : ClientResponse{};
}

TEST(Correlation, TheCallersIdReachesTheHandlerAndComesBack) {
  TestServer server{echo_routes()};
  Headers headers;
  headers.set("X-Correlation-Id", "order-42.retry_1");
  const auto response = get(server, headers);
  EXPECT_EQ(response.body, "order-42.retry_1");
  EXPECT_EQ(response.headers.get("X-Correlation-Id"), "order-42.retry_1");
}

TEST(Correlation, AMissingOrUnsafeIdIsReplacedByAFreshOne) {
  TestServer server{echo_routes()};
  const auto fresh = get(server);
  EXPECT_TRUE(std::regex_match(fresh.body, uuid_v4)) << fresh.body;
  EXPECT_EQ(fresh.headers.get("X-Correlation-Id"), fresh.body);
  EXPECT_NE(get(server).body, fresh.body) << "each request gets its own";

  for (const std::string& unsafe : {std::string("a b"), std::string("x\"y"), std::string(200, 'a'),
                                    std::string("{\"injected\":1}")}) {
    Headers headers;
    headers.set("X-Correlation-Id", unsafe);
    const auto response = get(server, headers);
    EXPECT_TRUE(std::regex_match(response.body, uuid_v4)) << unsafe << " -> " << response.body;
  }
}

TEST(Correlation, TheClientForwardsTheCurrentId) {
  TestServer downstream{echo_routes()};
  Router router;
  router.get("/relay", [&](Request&) {
    Client client;
    auto result = client.call(ClientRequest::get(downstream.url("/whoami")));
    return Response::text(result ? result->body : "call failed");
  });
  TestServer upstream{std::move(router)};
  Client client;
  auto request = ClientRequest::get(upstream.url("/relay"));
  request.headers.set("X-Correlation-Id", "ride-7");
  auto result = client.call(request);
  ASSERT_TRUE(result);
  EXPECT_EQ(result->body, "ride-7") << "the downstream service saw another id";
}

}  // namespace
}  // namespace eskit::runtime::http::test
