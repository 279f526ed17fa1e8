// The client: errors as values, deadlines, connection reuse.
#include <gtest/gtest.h>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <thread>

#include "eskit/runtime/http/client.hpp"
#include "test_server.hpp"

namespace eskit::runtime::http::test {
namespace {

Router echo() {
  Router router;
  router.get("/hello", [](Request&) { return Response::text("hello"); });
  router.put("/echo", [](Request& request) { return Response::json(request.json()); });
  return router;
}

TEST(Client, SendsJsonAndReadsJson) {
  TestServer server{echo()};
  Client client;
  boost::json::object body{{"driver", "d-7"}, {"seats", 4}};
  auto result = client.call(ClientRequest::json("PUT", server.url("/echo"), body));
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_EQ(result->status, 200);
  EXPECT_EQ(result->json(), boost::json::value(body));
}

TEST(Client, ReusesOneConnectionPerHost) {
  TestServer server{echo()};
  Client client;
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(client.call(ClientRequest::get(server.url("/hello"))));
  EXPECT_EQ(client.connections_opened(), 1u);
  EXPECT_EQ(client.idle_connections(), 1u);
  EXPECT_EQ(server.server().metrics().counter("http_server_connections_total", "").value(), 1);
}

TEST(Client, RetriesOnceWhenThePooledConnectionWasClosed) {
  auto first = std::make_unique<TestServer>(echo());
  auto port = first->port();
  Client client;
  ASSERT_TRUE(client.call(ClientRequest::get(first->url("/hello"))));
  first.reset();  // closes the pooled connection from the server side

  ServerOptions options;
  options.port = port;
  Server second{echo(), options};
  second.start();
  auto result =
      client.call(ClientRequest::get("http://127.0.0.1:" + std::to_string(port) + "/hello"));
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_EQ(result->body, "hello");
  EXPECT_EQ(client.connections_opened(), 2u);
}

TEST(Client, APostAfterTheServerRestartedGoesOutOnAFreshConnection) {
  // A POST is never resent (it may have been handled), so a connection the server closed
  // while idle must be noticed before the request is written, not after.
  auto first = std::make_unique<TestServer>(echo());
  auto port = first->port();
  Client client;
  ASSERT_TRUE(client.call(ClientRequest::get(first->url("/hello"))));
  first.reset();

  Router router;
  router.post("/orders", [](Request& request) { return Response::json(request.json()); });
  ServerOptions options;
  options.port = port;
  Server second{std::move(router), options};
  second.start();
  boost::json::object order{{"item", "tea"}};
  auto result = client.call(
      ClientRequest::json("POST", "http://127.0.0.1:" + std::to_string(port) + "/orders", order));
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_EQ(result->json(), boost::json::value(order));
  EXPECT_EQ(client.connections_opened(), 2u);
}

TEST(Client, TimesOutAtTheDeadline) {
  Gate release;
  Router router;
  router.get("/stuck", [&](Request&) {
    release.wait();
    return Response::text("late");
  });
  TestServer server{std::move(router)};
  Client client;
  auto request = ClientRequest::get(server.url("/stuck"));
  request.timeout = std::chrono::milliseconds{200};
  auto start = std::chrono::steady_clock::now();
  auto result = client.call(request);
  auto elapsed = std::chrono::steady_clock::now() - start;
  release.open();
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, ClientErrc::timeout) << result.error().message;
  EXPECT_GE(elapsed, std::chrono::milliseconds{200});
  EXPECT_LT(elapsed, std::chrono::seconds{3});
  EXPECT_EQ(client.idle_connections(), 0u);  // a timed-out connection is never reused
}

TEST(Client, ConnectionRefusedIsAnError) {
  std::uint16_t port = 0;
  {
    TestServer server{echo()};
    port = server.port();
  }
  Client client;
  auto result =
      client.call(ClientRequest::get("http://127.0.0.1:" + std::to_string(port) + "/hello"));
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, ClientErrc::connection_refused) << result.error().message;
  EXPECT_THROW((void)result.response(), std::logic_error);
}

TEST(Client, RejectsUrlsItCannotCall) {
  Client client;
  for (const char* url : {"ftp://example.com/", "/relative", "https://example.com/", "not a url"}) {
    auto result = client.call(ClientRequest::get(url));
    ASSERT_FALSE(result) << url;
    EXPECT_EQ(result.error().code, ClientErrc::invalid_url) << url;
  }
}

TEST(Client, CallsFromManyThreadsToAServerWithSeveralIoThreads) {
  ServerOptions options;
  options.io_threads = 2;
  options.worker_threads = 3;
  TestServer server{echo(), options};
  Client client;
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < 10; ++i)
        if (auto r = client.call(ClientRequest::get(server.url("/hello"))); r && r->status == 200)
          ++ok;
    });
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(ok.load(), 40);
  EXPECT_LE(client.connections_opened(), 4u);
}

}  // namespace
}  // namespace eskit::runtime::http::test
