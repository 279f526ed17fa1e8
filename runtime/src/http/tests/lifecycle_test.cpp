// Starting, binding and graceful stop.
#include <gtest/gtest.h>

#include <thread>

#include "eskit/runtime/http/client.hpp"
#include "raw_connection.hpp"
#include "test_server.hpp"

namespace eskit::runtime::http::test {
namespace {

Router hello() {
  Router router;
  router.get("/hello", [](Request&) { return Response::text("hello"); });
  return router;
}

TEST(Lifecycle, BindsAnEphemeralPort) {
  TestServer server{hello()};
  EXPECT_NE(server.port(), 0);
  EXPECT_TRUE(can_connect(server.port()));
}

TEST(Lifecycle, BindingATakenPortThrowsRuntimeError) {
  TestServer first{hello()};
  ServerOptions options;
  options.port = first.port();
  Server second{hello(), options};
  // reuse_address does not allow two listeners on one port.
  EXPECT_THROW(second.start(), std::runtime_error);
}

TEST(Lifecycle, StopIsIdempotentAndSafeBeforeStart) {
  Server never_started{hello()};
  never_started.stop();
  TestServer server{hello()};
  server.server().stop();
  server.server().stop();
  EXPECT_FALSE(can_connect(server.port()));
}

TEST(Lifecycle, GracefulStopFinishesInFlightRequestAndRefusesNewConnections) {
  Gate entered;
  Gate release;
  Router router = hello();
  router.get("/slow", [&](Request&) {
    entered.open();
    release.wait();
    return Response::text("finished");
  });
  TestServer server{std::move(router)};

  // An idle keep-alive connection: stop() closes it at once, which tells this test the
  // acceptor is already closed (stop closes the acceptor first).
  RawConnection idle(server.port());
  ASSERT_TRUE(idle.send(request_text("GET", "/hello")));
  ASSERT_TRUE(idle.read_response());

  Client client;
  std::optional<CallResult> slow;
  std::thread caller([&] { slow = client.call(ClientRequest::get(server.url("/slow"))); });
  ASSERT_TRUE(entered.wait());

  std::thread stopper([&] { server.server().stop(std::chrono::milliseconds{5000}); });
  EXPECT_TRUE(idle.wait_closed_by_peer());
  EXPECT_FALSE(can_connect(server.port()));

  release.open();
  caller.join();
  stopper.join();
  ASSERT_TRUE(slow && *slow) << slow->error().message;
  EXPECT_EQ((*slow)->status, 200);
  EXPECT_EQ((*slow)->body, "finished");
  EXPECT_EQ((*slow)->headers.get("Connection"), "close");
}

TEST(Lifecycle, StopClosesAConnectionStuckMidRequestOnceTheGraceIsOver) {
  TestServer server{hello()};
  RawConnection stuck(server.port());
  ASSERT_TRUE(stuck.send("GET /hello HTTP/1.1\r\nHost: t\r\nX-Half: "));  // never finished
  auto start = std::chrono::steady_clock::now();
  server.server().stop(std::chrono::milliseconds{100});
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds{3});
  EXPECT_TRUE(stuck.wait_closed_by_peer());
}

}  // namespace
}  // namespace eskit::runtime::http::test
