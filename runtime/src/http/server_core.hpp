#pragma once
// What the server's listener and its connections share. Private: it includes Asio.
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/thread_pool.hpp>

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <unordered_set>

#include "dispatcher.hpp"
#include "eskit/runtime/http/server.hpp"

namespace eskit::runtime::http {

struct Connection;  // connection.cpp: a Beast stream and its state

struct ServerCore {
  ServerCore(ServerOptions opts, std::unique_ptr<Dispatcher> disp)
      : options(std::move(opts)),
        dispatcher(std::move(disp)),
        connections_total(dispatcher->metrics().counter("http_server_connections_total",
                                                        "TCP connections accepted")),
        shed_total(
            dispatcher->metrics().counter("http_server_requests_shed_total",
                                          "Requests answered 503 because too many were in flight")),
        in_flight_gauge(dispatcher->metrics().gauge("http_server_requests_in_flight",
                                                    "Requests being handled")) {}

  // Admission control for load shedding: false when max_concurrent_requests are in flight.
  bool try_enter() {
    if (in_flight.fetch_add(1) + 1 > options.max_concurrent_requests) {
      in_flight.fetch_sub(1);
      return false;
    }
    in_flight_gauge.inc();
    return true;
  }
  void leave() {
    in_flight.fetch_sub(1);
    in_flight_gauge.dec();
  }

  void add(std::shared_ptr<Connection> connection) {
    std::lock_guard lock(mutex);
    connections.insert(std::move(connection));
  }
  void remove(const std::shared_ptr<Connection>& connection) {
    std::lock_guard lock(mutex);
    connections.erase(connection);
    if (connections.empty()) drained.notify_all();
  }

  ServerOptions options;
  std::unique_ptr<Dispatcher> dispatcher;
  Counter& connections_total;
  Counter& shed_total;
  Gauge& in_flight_gauge;
  std::atomic<std::size_t> in_flight{0};
  std::atomic<bool> stopping{false};

  std::mutex mutex;
  std::condition_variable drained;
  std::unordered_set<std::shared_ptr<Connection>> connections;

  // Destroyed explicitly by the server, in order: acceptor, workers, I/O context.
  std::unique_ptr<boost::asio::io_context> io;
  std::optional<boost::asio::thread_pool> workers;
  std::optional<boost::asio::ip::tcp::acceptor> acceptor;
};

// connection.cpp
void start_connection(ServerCore& core, boost::asio::ip::tcp::socket socket);
// Closes the connection if it waits for a next request; a busy one closes after its response.
void close_if_idle(const std::shared_ptr<Connection>& connection);
void close_now(const std::shared_ptr<Connection>& connection);

}  // namespace eskit::runtime::http
