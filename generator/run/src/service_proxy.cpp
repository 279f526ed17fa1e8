#include "eskit/run/service_proxy.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>

#include <algorithm>
#include <cstddef>
#include <deque>
#include <exception>
#include <future>
#include <thread>
#include <unordered_set>
#include <utility>

namespace eskit::run {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using boost::system::error_code;
using Clock = std::chrono::steady_clock;

constexpr std::size_t chunk_size = 64 * 1024;
// Bytes read but not yet written in one direction before the proxy stops reading it: a slow
// reader then slows its writer down through TCP instead of growing the proxy's memory.
constexpr std::size_t max_queued_bytes = 1024 * 1024;
// After an accept error (e.g. out of file descriptors) retrying at once would spin.
constexpr std::chrono::milliseconds accept_retry_delay{100};

}  // namespace

class ServiceProxy::Impl {
 public:
  Impl();
  ~Impl();
  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;

  std::uint16_t port() const { return port_; }
  void set_backends(std::vector<std::uint16_t> ports);
  void set_delay(std::chrono::milliseconds delay);

 private:
  class Connection;

  // Runs `change` on the I/O thread and waits for it: all relay state belongs to that thread,
  // and the caller learns the change holds when this returns.
  template <class Change>
  void on_io_thread(Change change);
  void accept();
  void serve(tcp::socket client);
  bool serves(std::uint16_t backend) const;

  asio::io_context io_;
  asio::executor_work_guard<asio::io_context::executor_type> work_;
  tcp::acceptor acceptor_;
  asio::steady_timer accept_retry_;
  std::uint16_t port_ = 0;
  // Owned by the I/O thread.
  bool stopping_ = false;
  std::vector<std::uint16_t> backends_;
  std::size_t next_backend_ = 0;
  std::chrono::milliseconds delay_{0};
  std::unordered_set<std::shared_ptr<Connection>> connections_;
  std::thread thread_;
};

// One client connection and its backend connection. Each direction reads into a queue of
// chunks and writes them out in order; a chunk from the client is written no earlier than
// its arrival plus the delay, so delayed chunks stay pipelined and ordered.
class ServiceProxy::Impl::Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(Impl& proxy, tcp::socket client)
      : proxy_(proxy),
        client_(std::move(client)),
        server_(proxy.io_),
        upstream_(client_, server_, true, proxy.io_),
        downstream_(server_, client_, false, proxy.io_) {}

  std::uint16_t backend() const { return backend_; }

  // Connects to the first candidate that accepts, then relays both ways.
  void connect(std::vector<std::uint16_t> candidates, std::size_t index = 0) {
    while (index < candidates.size() && !proxy_.serves(candidates[index])) ++index;
    if (index == candidates.size()) {
      close();
      return;
    }
    backend_ = candidates[index];
    server_.async_connect(
        tcp::endpoint(asio::ip::address_v4::loopback(), backend_),
        [self = shared_from_this(), candidates = std::move(candidates), index](error_code ec) {
          if (self->closed_) return;
          if (ec) {
            error_code ignored;
            self->server_.close(ignored);
            self->connect(candidates, index + 1);
            return;
          }
          self->relay();
        });
  }

  void close() {
    if (closed_) return;
    closed_ = true;
    error_code ignored;
    client_.close(ignored);
    server_.close(ignored);
    upstream_.timer.cancel();
    downstream_.timer.cancel();
    proxy_.connections_.erase(shared_from_this());
  }

 private:
  struct Chunk {
    std::vector<char> bytes;
    Clock::time_point due;
  };
  struct Direction {
    Direction(tcp::socket& source, tcp::socket& sink, bool is_delayed, asio::io_context& io)
        : from(source), to(sink), delayed(is_delayed), timer(io) {}
    tcp::socket& from;
    tcp::socket& to;
    const bool delayed;
    asio::steady_timer timer;
    std::vector<char> incoming;
    std::deque<Chunk> queue;
    std::size_t queued_bytes = 0;
    bool reading = false;
    bool writing = false;
    bool eof = false;
    bool finished = false;  // eof passed on as a half-close
  };

  void relay() {
    error_code ignored;
    // Requests and responses are small and latency-bound; the relay must not add Nagle's wait.
    client_.set_option(tcp::no_delay(true), ignored);
    server_.set_option(tcp::no_delay(true), ignored);
    read(upstream_);
    read(downstream_);
  }

  void read(Direction& d) {
    d.reading = true;
    d.incoming.resize(chunk_size);
    d.from.async_read_some(
        asio::buffer(d.incoming),
        [self = shared_from_this(), &d](error_code ec, std::size_t n) { self->on_read(d, ec, n); });
  }

  void on_read(Direction& d, error_code ec, std::size_t n) {
    d.reading = false;
    if (closed_) return;
    if (ec == asio::error::eof) {
      d.eof = true;
      if (!d.writing) write_next(d);
      return;
    }
    if (ec) {
      close();
      return;
    }
    d.incoming.resize(n);
    d.queued_bytes += n;
    const auto delay = d.delayed ? proxy_.delay_ : std::chrono::milliseconds(0);
    d.queue.push_back({std::move(d.incoming), Clock::now() + delay});
    if (!d.writing) write_next(d);
    if (d.queued_bytes < max_queued_bytes) read(d);
  }

  void write_next(Direction& d) {
    if (d.queue.empty()) {
      d.writing = false;
      if (d.eof) finish(d);
      return;
    }
    d.writing = true;
    const auto due = d.queue.front().due;
    if (due <= Clock::now()) {
      write_front(d);
      return;
    }
    d.timer.expires_at(due);
    d.timer.async_wait([self = shared_from_this(), &d](error_code) {
      if (!self->closed_) self->write_front(d);
    });
  }

  void write_front(Direction& d) {
    asio::async_write(d.to, asio::buffer(d.queue.front().bytes),
                      [self = shared_from_this(), &d](error_code ec, std::size_t) {
                        if (self->closed_) return;
                        if (ec) {
                          self->close();
                          return;
                        }
                        d.queued_bytes -= d.queue.front().bytes.size();
                        d.queue.pop_front();
                        if (!d.reading && !d.eof && d.queued_bytes < max_queued_bytes)
                          self->read(d);
                        self->write_next(d);
                      });
  }

  // Passes a half-close on; once both sides have closed their sending side nothing is left.
  void finish(Direction& d) {
    error_code ignored;
    d.to.shutdown(tcp::socket::shutdown_send, ignored);
    d.finished = true;
    if (upstream_.finished && downstream_.finished) close();
  }

  Impl& proxy_;
  tcp::socket client_;
  tcp::socket server_;
  Direction upstream_;
  Direction downstream_;
  std::uint16_t backend_ = 0;
  bool closed_ = false;
};

ServiceProxy::Impl::Impl() : work_(asio::make_work_guard(io_)), acceptor_(io_), accept_retry_(io_) {
  const tcp::endpoint loopback(asio::ip::address_v4::loopback(), 0);
  acceptor_.open(loopback.protocol());
  acceptor_.bind(loopback);
  acceptor_.listen(asio::socket_base::max_listen_connections);
  port_ = acceptor_.local_endpoint().port();
  accept();
  thread_ = std::thread([this] { io_.run(); });
}

ServiceProxy::Impl::~Impl() {
  on_io_thread([this] {
    stopping_ = true;
    error_code ignored;
    acceptor_.close(ignored);
    accept_retry_.cancel();
    // close() removes the connection from the set: iterate over a copy.
    const std::vector<std::shared_ptr<Connection>> open(connections_.begin(), connections_.end());
    for (const auto& connection : open) connection->close();
  });
  // Every operation left was cancelled above: run() returns once their handlers have run.
  work_.reset();
  thread_.join();
}

template <class Change>
void ServiceProxy::Impl::on_io_thread(Change change) {
  std::promise<void> done;
  asio::post(io_, [&] {
    try {
      change();
      done.set_value();
    } catch (...) {
      done.set_exception(std::current_exception());
    }
  });
  done.get_future().get();
}

void ServiceProxy::Impl::set_backends(std::vector<std::uint16_t> ports) {
  on_io_thread([this, &ports] {
    backends_ = std::move(ports);
    std::vector<std::shared_ptr<Connection>> removed;
    for (const auto& connection : connections_)
      if (!serves(connection->backend())) removed.push_back(connection);
    for (const auto& connection : removed) connection->close();
  });
}

void ServiceProxy::Impl::set_delay(std::chrono::milliseconds delay) {
  on_io_thread([this, delay] { delay_ = std::max(delay, std::chrono::milliseconds(0)); });
}

bool ServiceProxy::Impl::serves(std::uint16_t backend) const {
  return std::find(backends_.begin(), backends_.end(), backend) != backends_.end();
}

void ServiceProxy::Impl::accept() {
  acceptor_.async_accept([this](error_code ec, tcp::socket client) {
    if (stopping_) return;
    if (ec) {
      accept_retry_.expires_after(accept_retry_delay);
      accept_retry_.async_wait([this](error_code wait_error) {
        if (!wait_error && !stopping_) accept();
      });
      return;
    }
    serve(std::move(client));
    accept();
  });
}

void ServiceProxy::Impl::serve(tcp::socket client) {
  if (backends_.empty()) {
    error_code ignored;
    client.close(ignored);
    return;
  }
  // Round-robin start, then the others in order should the chosen one refuse.
  std::vector<std::uint16_t> candidates(backends_.size());
  const std::size_t first = next_backend_++ % backends_.size();
  std::rotate_copy(backends_.begin(), backends_.begin() + static_cast<std::ptrdiff_t>(first),
                   backends_.end(), candidates.begin());
  auto connection = std::make_shared<Connection>(*this, std::move(client));
  connections_.insert(connection);
  connection->connect(std::move(candidates));
}

ServiceProxy::ServiceProxy() : impl_(std::make_unique<Impl>()) {}
ServiceProxy::~ServiceProxy() = default;
std::uint16_t ServiceProxy::port() const { return impl_->port(); }
void ServiceProxy::set_backends(std::vector<std::uint16_t> ports) {
  impl_->set_backends(std::move(ports));
}
void ServiceProxy::set_delay(std::chrono::milliseconds delay) { impl_->set_delay(delay); }

}  // namespace eskit::run
