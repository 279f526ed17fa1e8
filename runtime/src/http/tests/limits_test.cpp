// Limits and protection: body and header sizes, malformed HTTP, idle timeout, load shedding.
#include <gtest/gtest.h>

#include <boost/json/value.hpp>

#include <thread>

#include "eskit/runtime/http/client.hpp"
#include "raw_connection.hpp"
#include "test_server.hpp"

namespace eskit::runtime::http::test {
namespace {

Router echo_routes() {
  Router router;
  router.post(
      "/echo", [](Request& request) { return Response::text(request.body()); }, Body::any);
  return router;
}

ServerOptions small_limits() {
  ServerOptions options;
  options.max_body_bytes = 1024;
  options.max_header_bytes = 4096;
  return options;
}

TEST(Limits, BodyWithinTheLimitIsServed) {
  TestServer server{echo_routes(), small_limits()};
  RawConnection connection(server.port());
  ASSERT_TRUE(connection.send(request_text("POST", "/echo", {}, std::string(1024, 'x'))));
  auto response = connection.read_response();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->body.size(), 1024u);
}

TEST(Limits, DeclaredBodyOverTheLimitIs413AndCloses) {
  TestServer server{echo_routes(), small_limits()};
  RawConnection connection(server.port());
  // Announces 1 MiB but sends nothing: the server must answer from the header alone.
  ASSERT_TRUE(connection.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 1048576\r\n\r\n"));
  auto response = connection.read_response();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 413);
  EXPECT_EQ(response->header("content-type"), "application/problem+json");
  EXPECT_NE(response->body.find("urn:eskit:problem:body-too-large"), std::string::npos);
  EXPECT_TRUE(connection.wait_closed_by_peer());
}

TEST(Limits, ChunkedBodyOverTheLimitIs413) {
  TestServer server{echo_routes(), small_limits()};
  RawConnection connection(server.port());
  std::string chunk(2000, 'y');
  ASSERT_TRUE(connection.send(
      "POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n7d0\r\n" + chunk +
      "\r\n0\r\n\r\n"));
  auto response = connection.read_response();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 413);
}

TEST(Limits, HeadersOverTheLimitAre431) {
  TestServer server{echo_routes(), small_limits()};
  RawConnection connection(server.port());
  ASSERT_TRUE(connection.send(
      request_text("POST", "/echo", "X-Padding: " + std::string(8000, 'p') + "\r\n", "hi")));
  auto response = connection.read_response();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 431);
  EXPECT_NE(response->body.find("urn:eskit:problem:headers-too-large"), std::string::npos);
}

TEST(Limits, GarbageIs400) {
  TestServer server{echo_routes()};
  RawConnection connection(server.port());
  ASSERT_TRUE(connection.send("THIS IS NOT HTTP\r\n\r\n"));
  auto response = connection.read_response();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 400);
  EXPECT_TRUE(connection.wait_closed_by_peer());
}

TEST(Limits, IdleKeepAliveConnectionIsClosedAfterIdleTimeout) {
  ServerOptions options;
  options.idle_timeout = std::chrono::milliseconds{100};
  TestServer server{echo_routes(), options};
  RawConnection connection(server.port());
  ASSERT_TRUE(connection.send(request_text("POST", "/echo", {}, "1")));
  ASSERT_TRUE(connection.read_response());
  auto start = std::chrono::steady_clock::now();
  EXPECT_TRUE(connection.wait_closed_by_peer());  // receive timeout is 5 s
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds{3});
}

TEST(Limits, RequestSlowerThanTheReadTimeoutIsCut) {
  ServerOptions options;
  options.read_timeout = std::chrono::milliseconds{100};
  TestServer server{echo_routes(), options};
  RawConnection connection(server.port());
  ASSERT_TRUE(connection.send(
      "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 10\r\n\r\nabc"));  // 7 bytes short
  auto start = std::chrono::steady_clock::now();
  EXPECT_TRUE(connection.wait_closed_by_peer());
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds{3});
}

TEST(Shedding, Answers503WithRetryAfterWhenMaxConcurrencyIsReached) {
  Gate entered;
  Gate release;
  Router router;
  router.get("/slow", [&](Request&) {
    entered.open();
    release.wait();
    return Response::text("done");
  });
  router.get("/fast", [](Request&) { return Response::text("fast"); });
  ServerOptions options;
  options.max_concurrent_requests = 1;
  options.retry_after = std::chrono::seconds{7};
  TestServer server{std::move(router), options};

  Client client;
  std::optional<CallResult> slow;
  std::thread caller([&] { slow = client.call(ClientRequest::get(server.url("/slow"))); });
  ASSERT_TRUE(entered.wait());

  auto shed = client.call(ClientRequest::get(server.url("/fast")));
  release.open();
  caller.join();
  ASSERT_TRUE(shed);
  EXPECT_EQ(shed->status, 503);
  EXPECT_EQ(shed->headers.get("Retry-After"), "7");
  EXPECT_EQ(shed->json().at("type"), "urn:eskit:problem:overloaded");
  ASSERT_TRUE(slow && *slow);
  EXPECT_EQ((*slow)->status, 200);

  // Capacity is back once the slow request is done.
  auto after = client.call(ClientRequest::get(server.url("/fast")));
  ASSERT_TRUE(after);
  EXPECT_EQ(after->status, 200);
  auto& metrics = server.server().metrics();
  EXPECT_EQ(metrics.counter("http_server_requests_shed_total", "").value(), 1);
  EXPECT_EQ(metrics
                .counter("http_server_requests_total", "",
                         {{"method", "GET"}, {"route", "/fast"}, {"status", "503"}})
                .value(),
            1);
}

}  // namespace
}  // namespace eskit::runtime::http::test
