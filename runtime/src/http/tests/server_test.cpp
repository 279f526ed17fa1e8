// The server over real sockets: routing, the JSON contract, problems, keep-alive.
#include <gtest/gtest.h>

#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include <stdexcept>

#include "eskit/runtime/http/client.hpp"
#include "eskit/runtime/http/problem.hpp"
#include "raw_connection.hpp"
#include "test_server.hpp"

namespace eskit::runtime::http::test {
namespace {

namespace json = boost::json;

Router dispatch_routes() {
  Router router;
  router.get("/calls/{callId}", [](Request& request) {
    json::object body{{"callId", request.param("callId")}, {"route", request.route()}};
    if (auto verbose = request.query("verbose")) body["verbose"] = *verbose;
    return Response::json(body);
  });
  router.post("/calls", [](Request& request) {
    const auto& body = request.json().as_object();
    auto* passenger = body.if_contains("passenger");
    if (!passenger || !passenger->is_string())
      throw Problem::invalid_field("passenger", "must be a string");
    return Response::json(json::object{{"accepted", *passenger}}, 201);
  });
  router.post("/calls/{callId}/accept", [](Request& request) -> Response {
    throw Problem{409, "conflict", "call " + request.param("callId") + " is already ACCEPTED"}.with(
        "state", "ACCEPTED");
  });
  router.get("/boom", [](Request&) -> Response {
    throw std::runtime_error("password=hunter2 at db.internal:5432");
  });
  router.get("/deadline", [](Request& request) {
    return Response::text(request.deadline() ? "has deadline" : "no deadline");
  });
  return router;
}

json::value problem_of(const ClientResponse& response) {
  EXPECT_EQ(response.headers.get("Content-Type"), "application/problem+json");
  return response.json();
}

class ServerTest : public ::testing::Test {
 protected:
  TestServer server{dispatch_routes()};
  Client client;
};

TEST_F(ServerTest, RoutesByTemplateWithPathAndQueryParameters) {
  auto result = client.call(ClientRequest::get(server.url("/calls/c-42?verbose=yes")));
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_EQ(result->status, 200);
  EXPECT_EQ(result->json(),
            json::parse(R"({"callId":"c-42","route":"/calls/{callId}","verbose":"yes"})"));
}

TEST_F(ServerTest, UnknownPathIs404Problem) {
  auto result = client.call(ClientRequest::get(server.url("/drivers/1?token=secret")));
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 404);
  auto problem = problem_of(result.response());
  EXPECT_EQ(problem.at("type"), "urn:eskit:problem:not-found");
  EXPECT_EQ(problem.at("title"), "Not Found");
  EXPECT_EQ(problem.at("status"), 404);
  EXPECT_EQ(problem.at("instance"), "/drivers/1");  // the query may hold secrets: left out
}

TEST_F(ServerTest, WrongMethodIs405WithAllow) {
  ClientRequest request;
  request.method = "DELETE";
  request.url = server.url("/calls");
  auto result = client.call(request);
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 405);
  EXPECT_EQ(result->headers.get("Allow"), "POST");
  EXPECT_EQ(problem_of(result.response()).at("type"), "urn:eskit:problem:method-not-allowed");
}

TEST_F(ServerTest, JsonRouteAcceptsValidBody) {
  auto result = client.call(
      ClientRequest::json("POST", server.url("/calls"), json::object{{"passenger", "kim"}}));
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 201);
  EXPECT_EQ(result->json(), json::parse(R"({"accepted":"kim"})"));
}

TEST_F(ServerTest, MalformedJsonIs400) {
  ClientRequest request{"POST", server.url("/calls"), {}, R"({"passenger": )"};
  request.headers.set("Content-Type", "application/json");
  auto result = client.call(request);
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 400);
  EXPECT_EQ(problem_of(result.response()).at("type"), "urn:eskit:problem:malformed-json");
}

TEST_F(ServerTest, FailedFieldCheckIs400NamingTheField) {
  auto result = client.call(
      ClientRequest::json("POST", server.url("/calls"), json::object{{"passenger", 7}}));
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 400);
  auto problem = problem_of(result.response());
  EXPECT_EQ(problem.at("type"), "urn:eskit:problem:invalid-field");
  EXPECT_EQ(problem.at("errors").at(0).at("field"), "passenger");
}

TEST_F(ServerTest, NonJsonContentTypeIs415) {
  ClientRequest request{"POST", server.url("/calls"), {}, R"({"passenger":"kim"})"};
  request.headers.set("Content-Type", "text/plain");
  auto result = client.call(request);
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 415);
  EXPECT_EQ(problem_of(result.response()).at("type"), "urn:eskit:problem:unsupported-media-type");
}

TEST_F(ServerTest, ThrownProblemKeepsStatusAndExtensions) {
  auto result =
      client.call(ClientRequest::json("POST", server.url("/calls/c-1/accept"), json::object{}));
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 409);
  auto problem = problem_of(result.response());
  EXPECT_EQ(problem.at("type"), "urn:eskit:problem:conflict");
  EXPECT_EQ(problem.at("detail"), "call c-1 is already ACCEPTED");
  EXPECT_EQ(problem.at("state"), "ACCEPTED");
}

TEST_F(ServerTest, OtherExceptionIs500WithoutInternals) {
  auto result = client.call(ClientRequest::get(server.url("/boom")));
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 500);
  EXPECT_EQ(result->body.find("hunter2"), std::string::npos);
  EXPECT_EQ(result->body.find("db.internal"), std::string::npos);
  EXPECT_EQ(problem_of(result.response()).at("type"), "urn:eskit:problem:internal-error");
  EXPECT_NE(server.errors().all().find("hunter2"),
            std::string::npos);  // the operator still learns why
}

TEST_F(ServerTest, KeepAliveServesTwoRequestsOnOneConnection) {
  RawConnection connection(server.port());
  ASSERT_TRUE(connection.connected());
  ASSERT_TRUE(connection.send(request_text("GET", "/calls/1")));
  auto first = connection.read_response();
  ASSERT_TRUE(first);
  EXPECT_EQ(first->status, 200);
  ASSERT_TRUE(connection.send(request_text("GET", "/calls/2")));
  auto second = connection.read_response();
  ASSERT_TRUE(second);
  EXPECT_EQ(second->status, 200);
  EXPECT_NE(second->body.find("\"2\""), std::string::npos);
  EXPECT_EQ(server.server().metrics().counter("http_server_connections_total", "").value(), 1);
}

TEST_F(ServerTest, PipelinedRequestsAreAnsweredInOrder) {
  RawConnection connection(server.port());
  ASSERT_TRUE(connection.send(request_text("GET", "/calls/1") + request_text("GET", "/calls/2")));
  auto first = connection.read_response();
  auto second = connection.read_response();
  ASSERT_TRUE(first && second);
  EXPECT_NE(first->body.find("\"1\""), std::string::npos);
  EXPECT_NE(second->body.find("\"2\""), std::string::npos);
}

TEST_F(ServerTest, ConnectionCloseIsHonoured) {
  RawConnection connection(server.port());
  ASSERT_TRUE(connection.send(request_text("GET", "/calls/1", "Connection: close\r\n")));
  auto response = connection.read_response();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->header("connection"), "close");
  EXPECT_TRUE(connection.wait_closed_by_peer());
}

TEST_F(ServerTest, ClientPropagatesItsDeadline) {
  auto result = client.call(ClientRequest::get(server.url("/deadline")));
  ASSERT_TRUE(result);
  EXPECT_EQ(result->body, "has deadline");
}

}  // namespace
}  // namespace eskit::runtime::http::test
