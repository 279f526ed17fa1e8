#pragma once
// A byte-level TCP relay on loopback. It knows nothing of HTTP: what a client sends reaches the
// backend unchanged and in order, and the other way round, so any protocol passes through.
#include <chrono>
#include <cstdint>
#include <memory>
#include <vector>

namespace eskit::run {

// A stable loopback address in front of one context's processes: the gateway and sync callers
// point here, so a service restarted on a new port, several replicas, or a slowed-down service
// need no reconfiguration.
//
// Thread-safe: the setters may be called from any thread and return once the change holds
// (the next connection accepted sees it).
class ServiceProxy {
 public:
  // Listens on 127.0.0.1, on an ephemeral port, relaying on its own I/O thread. Throws
  // boost::system::system_error (a std::runtime_error) when it cannot listen.
  ServiceProxy();
  // Stops listening and closes every connection, both sides.
  ~ServiceProxy();
  ServiceProxy(const ServiceProxy&) = delete;
  ServiceProxy& operator=(const ServiceProxy&) = delete;

  std::uint16_t port() const;
  // Loopback ports to relay to, round-robin per new connection (a backend refusing the
  // connection is skipped for the next one). Empty: new connections are closed at once, so
  // callers see a connection failure, as with a dead service. Existing connections to a
  // backend no longer listed are closed.
  void set_backends(std::vector<std::uint16_t> ports);
  // Every client->server chunk waits this long before it is forwarded (so each HTTP request
  // is delayed); chunks keep their order. Zero restores normal speed for new chunks.
  void set_delay(std::chrono::milliseconds delay);

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace eskit::run
