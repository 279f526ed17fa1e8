#include "eskit/run/service_proxy.hpp"

#include <gtest/gtest.h>
#include <poll.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>

#include <array>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace eskit::run {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using boost::system::error_code;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

// Deadline for what must happen "at once": generous, so a loaded machine does not fail the
// test, yet a hang fails it instead of blocking the suite.
constexpr auto patience = 10s;

// A backend: echoes what it reads and passes a half-close back. Counts what it saw.
class EchoServer {
 public:
  EchoServer() : acceptor_(io_, tcp::endpoint(asio::ip::address_v4::loopback(), 0)) {
    accept();
    thread_ = std::thread([this] { io_.run(); });
  }
  ~EchoServer() {
    io_.stop();
    thread_.join();
  }
  std::uint16_t port() const { return acceptor_.local_endpoint().port(); }
  int accepted() const { return accepted_; }
  // Connections the proxy closed or half-closed.
  int ended() const { return ended_; }

 private:
  struct Session : std::enable_shared_from_this<Session> {
    Session(tcp::socket s, std::atomic<int>& ended_count)
        : socket(std::move(s)), ended(ended_count) {}
    void read() {
      socket.async_read_some(asio::buffer(buffer),
                             [self = shared_from_this()](error_code ec, std::size_t n) {
                               if (ec) {
                                 ++self->ended;
                                 error_code ignored;
                                 self->socket.shutdown(tcp::socket::shutdown_send, ignored);
                                 return;
                               }
                               asio::async_write(self->socket, asio::buffer(self->buffer, n),
                                                 [self](error_code write_error, std::size_t) {
                                                   if (!write_error) self->read();
                                                 });
                             });
    }
    tcp::socket socket;
    std::atomic<int>& ended;
    std::array<char, 16 * 1024> buffer{};
  };

  void accept() {
    acceptor_.async_accept([this](error_code ec, tcp::socket socket) {
      if (ec) return;
      ++accepted_;
      std::make_shared<Session>(std::move(socket), ended_)->read();
      accept();
    });
  }

  asio::io_context io_;
  tcp::acceptor acceptor_;
  std::atomic<int> accepted_{0};
  std::atomic<int> ended_{0};
  std::thread thread_;
};

// A blocking client whose reads give up at a deadline.
class Client {
 public:
  explicit Client(std::uint16_t port) : socket_(io_) {
    socket_.connect(tcp::endpoint(asio::ip::address_v4::loopback(), port));
  }
  void send(std::string_view bytes) { asio::write(socket_, asio::buffer(bytes)); }
  void shutdown_send() { socket_.shutdown(tcp::socket::shutdown_send); }

  // Up to `n` bytes: fewer when the connection ends or the deadline passes.
  std::string receive(std::size_t n, std::chrono::milliseconds timeout = patience) {
    std::string received;
    const auto deadline = Clock::now() + timeout;
    std::array<char, 64 * 1024> buffer{};
    while (received.size() < n && wait_readable(deadline)) {
      error_code ec;
      const std::size_t got = socket_.read_some(
          asio::buffer(buffer.data(), std::min(buffer.size(), n - received.size())), ec);
      if (ec) break;
      received.append(buffer.data(), got);
    }
    return received;
  }
  // Everything until the peer's end of stream; nullopt when the deadline passes first.
  std::optional<std::string> receive_all(std::chrono::milliseconds timeout = patience) {
    std::string received;
    const auto deadline = Clock::now() + timeout;
    std::vector<char> buffer(64 * 1024);
    while (wait_readable(deadline)) {
      error_code ec;
      const std::size_t got = socket_.read_some(asio::buffer(buffer), ec);
      if (ec == asio::error::eof) return received;
      if (ec) return std::nullopt;
      received.append(buffer.data(), got);
    }
    return std::nullopt;
  }
  // True when the connection ends (end of stream or reset) before the deadline.
  bool closed_within(std::chrono::milliseconds timeout = patience) {
    const auto deadline = Clock::now() + timeout;
    std::array<char, 4096> buffer{};
    while (wait_readable(deadline)) {
      error_code ec;
      socket_.read_some(asio::buffer(buffer), ec);
      if (ec) return true;
    }
    return false;
  }
  std::string round_trip(std::string_view request) {
    send(request);
    return receive(request.size());
  }

 private:
  bool wait_readable(Clock::time_point deadline) {
    pollfd fd{socket_.native_handle(), POLLIN, 0};
    for (;;) {
      const auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
      if (left <= 0ms) return false;
      const int ready = ::poll(&fd, 1, static_cast<int>(left.count()));
      if (ready > 0) return true;
      if (ready < 0 && errno != EINTR) return false;
    }
  }

  asio::io_context io_;
  tcp::socket socket_;
};

std::string random_bytes(std::size_t n, unsigned seed) {
  std::mt19937 generator(seed);
  std::uniform_int_distribution<int> byte(0, 255);
  std::string bytes(n, '\0');
  for (auto& c : bytes) c = static_cast<char>(byte(generator));
  return bytes;
}

// A loopback port nothing listens on (as a dead service leaves behind).
std::uint16_t unused_port() {
  asio::io_context io;
  tcp::acceptor probe(io, tcp::endpoint(asio::ip::address_v4::loopback(), 0));
  return probe.local_endpoint().port();
}

TEST(ServiceProxy, RelaysBothWaysAndPassesHalfClosesOn) {
  EchoServer backend;
  ServiceProxy proxy;
  proxy.set_backends({backend.port()});
  Client client(proxy.port());
  EXPECT_EQ(client.round_trip("hello"), "hello");
  EXPECT_EQ(client.round_trip("again"), "again");
  // The backend answers after the client's half-close and closes only then.
  client.send("last words");
  client.shutdown_send();
  EXPECT_EQ(client.receive_all(), "last words");
  EXPECT_EQ(backend.ended(), 1);
}

TEST(ServiceProxy, RelaysLargeTransfersIntactAndInOrder) {
  EchoServer backend;
  ServiceProxy proxy;
  proxy.set_backends({backend.port()});
  Client client(proxy.port());
  const std::string payload = random_bytes(16 * 1024 * 1024, 1);
  // Sending while receiving: neither side's buffers can hold it all.
  std::thread sender([&] {
    client.send(payload);
    client.shutdown_send();
  });
  const auto received = client.receive_all(60s);
  sender.join();
  ASSERT_TRUE(received.has_value());
  EXPECT_EQ(received->size(), payload.size());
  EXPECT_TRUE(*received == payload) << "bytes lost or reordered";
}

TEST(ServiceProxy, DelaysEveryRequestAtLeastTheSetDelay) {
  EchoServer backend;
  ServiceProxy proxy;
  proxy.set_backends({backend.port()});
  proxy.set_delay(200ms);
  Client client(proxy.port());
  for (int request = 0; request < 3; ++request) {
    const auto sent = Clock::now();
    EXPECT_EQ(client.round_trip("GET / HTTP/1.1\r\n\r\n"), "GET / HTTP/1.1\r\n\r\n");
    EXPECT_GE(Clock::now() - sent, 200ms) << "request " << request;
  }
  proxy.set_delay(0ms);
  EXPECT_EQ(client.round_trip("fast again"), "fast again");
}

TEST(ServiceProxy, DelayedChunksKeepTheirOrder) {
  EchoServer backend;
  ServiceProxy proxy;
  proxy.set_backends({backend.port()});
  proxy.set_delay(20ms);
  Client client(proxy.port());
  const std::string payload = random_bytes(2 * 1024 * 1024, 2);
  std::thread sender([&] {
    // Many separate writes, so the proxy sees many chunks each waiting its own delay.
    for (std::size_t at = 0; at < payload.size(); at += 4096)
      client.send(std::string_view(payload).substr(at, 4096));
    client.shutdown_send();
  });
  const auto received = client.receive_all(60s);
  sender.join();
  ASSERT_TRUE(received.has_value());
  EXPECT_TRUE(*received == payload) << "bytes lost or reordered";
}

TEST(ServiceProxy, SpreadsNewConnectionsRoundRobin) {
  EchoServer first;
  EchoServer second;
  ServiceProxy proxy;
  proxy.set_backends({first.port(), second.port()});
  std::vector<std::unique_ptr<Client>> clients;
  for (int n = 0; n < 4; ++n) {
    clients.push_back(std::make_unique<Client>(proxy.port()));
    EXPECT_EQ(clients.back()->round_trip("ping"), "ping");
  }
  EXPECT_EQ(first.accepted(), 2);
  EXPECT_EQ(second.accepted(), 2);
}

TEST(ServiceProxy, SwitchesNewConnectionsToTheNewBackend) {
  EchoServer old_backend;
  EchoServer new_backend;
  ServiceProxy proxy;
  proxy.set_backends({old_backend.port()});
  Client before(proxy.port());
  EXPECT_EQ(before.round_trip("ping"), "ping");
  proxy.set_backends({new_backend.port()});
  Client after(proxy.port());
  EXPECT_EQ(after.round_trip("ping"), "ping");
  EXPECT_EQ(old_backend.accepted(), 1);
  EXPECT_EQ(new_backend.accepted(), 1);
}

TEST(ServiceProxy, RemovingABackendClosesItsConnectionsOnly) {
  EchoServer removed;
  EchoServer kept;
  ServiceProxy proxy;
  proxy.set_backends({removed.port(), kept.port()});
  Client to_removed(proxy.port());
  Client to_kept(proxy.port());
  ASSERT_EQ(to_removed.round_trip("ping"), "ping");
  ASSERT_EQ(to_kept.round_trip("ping"), "ping");
  ASSERT_EQ(removed.accepted(), 1);
  proxy.set_backends({kept.port()});
  EXPECT_TRUE(to_removed.closed_within());
  EXPECT_EQ(to_kept.round_trip("still here"), "still here");
  const auto deadline = Clock::now() + patience;
  while (removed.ended() == 0 && Clock::now() < deadline) std::this_thread::sleep_for(1ms);
  EXPECT_EQ(removed.ended(), 1) << "the removed backend's side stayed open";
  EXPECT_EQ(kept.ended(), 0);
}

TEST(ServiceProxy, WithoutBackendsClosesNewConnectionsAtOnce) {
  ServiceProxy proxy;
  Client never_configured(proxy.port());
  EXPECT_TRUE(never_configured.closed_within());

  EchoServer backend;
  proxy.set_backends({backend.port()});
  proxy.set_backends({});
  Client emptied(proxy.port());
  EXPECT_TRUE(emptied.closed_within());
  EXPECT_EQ(backend.accepted(), 0);
}

TEST(ServiceProxy, ClosesConnectionsToABackendThatRefuses) {
  ServiceProxy proxy;
  proxy.set_backends({unused_port()});
  Client client(proxy.port());
  client.send("GET / HTTP/1.1\r\n\r\n");
  EXPECT_TRUE(client.closed_within());
}

TEST(ServiceProxy, SkipsARefusingBackendForTheNextOne) {
  EchoServer alive;
  ServiceProxy proxy;
  proxy.set_backends({unused_port(), alive.port()});
  for (int n = 0; n < 2; ++n) {
    Client client(proxy.port());
    EXPECT_EQ(client.round_trip("ping"), "ping") << "connection " << n;
  }
  EXPECT_EQ(alive.accepted(), 2);
}

TEST(ServiceProxy, RelaysManyConcurrentClients) {
  EchoServer first;
  EchoServer second;
  ServiceProxy proxy;
  proxy.set_backends({first.port(), second.port()});
  constexpr int clients = 16;
  constexpr int requests = 200;
  std::atomic<int> answered{0};
  std::vector<std::thread> threads;
  for (int c = 0; c < clients; ++c) {
    threads.emplace_back([&, c] {
      Client client(proxy.port());
      for (int r = 0; r < requests; ++r) {
        const std::string request = random_bytes(1024, static_cast<unsigned>(c * requests + r));
        if (client.round_trip(request) == request) ++answered;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(answered, clients * requests);
  EXPECT_EQ(first.accepted() + second.accepted(), clients);
}

TEST(ServiceProxy, DestructorClosesLiveConnections) {
  EchoServer backend;
  auto proxy = std::make_unique<ServiceProxy>();
  proxy->set_backends({backend.port()});
  std::vector<std::unique_ptr<Client>> clients;
  for (int n = 0; n < 8; ++n) {
    clients.push_back(std::make_unique<Client>(proxy->port()));
    ASSERT_EQ(clients.back()->round_trip("ping"), "ping");
  }
  // One more with a request held back by the delay when the proxy goes.
  proxy->set_delay(1h);
  clients.push_back(std::make_unique<Client>(proxy->port()));
  clients.back()->send("held");
  const std::uint16_t port = proxy->port();
  proxy.reset();
  for (auto& client : clients) EXPECT_TRUE(client->closed_within());
  EXPECT_THROW(Client{port}, boost::system::system_error) << "still listening";
}

}  // namespace
}  // namespace eskit::run
