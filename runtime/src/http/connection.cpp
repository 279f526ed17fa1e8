// One server-side HTTP/1.1 connection: read a request within the limits, hand it to the
// dispatcher on a worker thread, write the response, and keep the connection alive or close it.
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <exception>

#include <algorithm>
#include <array>
#include <limits>

#include "eskit/runtime/http/problem.hpp"
#include "server_core.hpp"

namespace eskit::runtime::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using asio::ip::tcp;

struct Connection {
  explicit Connection(tcp::socket socket) : stream(std::move(socket)) {}
  beast::tcp_stream stream;
  bool idle = true;  // waiting for a next request; touched only on the connection's strand
};

namespace {

constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);
// How long an error reply waits for the client to stop sending before closing.
constexpr std::chrono::seconds linger_limit{2};

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

bhttp::response<bhttp::string_body> to_beast(Response response, unsigned version, bool keep_alive) {
  bhttp::response<bhttp::string_body> out;
  out.version(version);
  out.result(static_cast<unsigned>(response.status));
  for (const auto& [name, value] : response.headers) out.insert(name, value);
  out.body() = std::move(response.body);
  out.keep_alive(keep_alive);
  out.prepare_payload();
  return out;
}

// Answers a request that could not be read (too large, malformed, too slow) and closes.
// The client may still be sending: closing with unread data would reset the connection and
// could destroy the answer in flight, so half-close and drain for a bounded time first.
asio::awaitable<void> reply_and_close(beast::tcp_stream& stream, const Problem& problem) {
  auto out = to_beast(Response::problem(problem), 11, false);
  stream.expires_after(linger_limit);
  auto [write_error, written] = co_await bhttp::async_write(stream, out, use_tuple);
  if (write_error) co_return;
  boost::system::error_code ec;
  stream.socket().shutdown(tcp::socket::shutdown_send, ec);
  std::array<char, 16 * 1024> sink{};
  std::size_t drained = 0;
  stream.expires_after(linger_limit);
  while (drained < 4 * 1024 * 1024) {
    auto [read_error, n] = co_await stream.async_read_some(asio::buffer(sink), use_tuple);
    if (read_error) break;
    drained += n;
  }
}

// Which problem answers a request that failed to read; none when nobody can be answered.
std::optional<Problem> read_failure(const boost::system::error_code& ec,
                                    const ServerOptions& options) {
  if (ec == bhttp::error::header_limit)
    return Problem{
        431, "headers-too-large",
        "the request headers exceed " + std::to_string(options.max_header_bytes) + " bytes"};
  if (ec == bhttp::error::body_limit)
    return Problem{413, "body-too-large",
                   "the request body exceeds " + std::to_string(options.max_body_bytes) + " bytes"};
  // A timed-out tcp_stream has already closed its socket, so a slow client gets no 408: the
  // connection just ends, as with most servers.
  if (ec == beast::error::timeout || ec == bhttp::error::end_of_stream ||
      ec == bhttp::error::partial_message || ec == asio::error::eof ||
      ec == asio::error::connection_reset || ec == asio::error::operation_aborted ||
      ec == asio::error::bad_descriptor)
    return std::nullopt;  // the peer went away or we closed: nobody to answer
  return Problem{400, "malformed-request", "the request is not valid HTTP/1.1"};
}

// Runs `work` on the pool and resumes the awaiting coroutine on its own executor; an exception
// `work` throws is rethrown in the coroutine, as co_spawn would.
template <class Work>
auto on_worker(asio::thread_pool& pool, Work work) {
  using Result = decltype(work());
  return asio::async_initiate<decltype(asio::use_awaitable), void(std::exception_ptr, Result)>(
      [&pool](auto handler, Work task) {
        asio::post(pool, [handler = std::move(handler), task = std::move(task)]() mutable {
          std::exception_ptr failure;
          Result result{};
          try {
            result = task();
          } catch (...) {
            failure = std::current_exception();
          }
          auto executor = asio::get_associated_executor(handler);
          asio::post(executor,
                     [handler = std::move(handler), failure, result = std::move(result)]() mutable {
                       std::move(handler)(failure, std::move(result));
                     });
        });
      },
      asio::use_awaitable, std::move(work));
}

asio::awaitable<void> serve(ServerCore& core, std::shared_ptr<Connection> connection) {
  struct Unregister {
    ServerCore& core;
    std::shared_ptr<Connection> connection;
    ~Unregister() { core.remove(connection); }
  } unregister{core, connection};

  const ServerOptions& options = core.options;
  beast::tcp_stream& stream = connection->stream;
  beast::flat_buffer buffer;
  boost::system::error_code peer_error;
  const auto peer = stream.socket().remote_endpoint(peer_error);
  const std::string remote_address = peer_error ? std::string() : peer.address().to_string();
  for (;;) {
    // Idle until the next request's first byte: the idle timeout applies, and a stopping
    // server may close the connection here without losing a request.
    if (buffer.size() == 0) {
      connection->idle = true;
      if (core.stopping.load()) co_return;
      stream.expires_after(options.idle_timeout);
      auto [ec, n] = co_await stream.async_read_some(buffer.prepare(4096), use_tuple);
      if (ec) co_return;
      buffer.commit(n);
    }
    connection->idle = false;

    // The request, within the read timeout and size limits.
    auto started = std::chrono::steady_clock::now();
    bhttp::request_parser<bhttp::string_body> parser;
    parser.header_limit(static_cast<std::uint32_t>(std::min<std::size_t>(
        options.max_header_bytes, std::numeric_limits<std::uint32_t>::max())));
    parser.body_limit(options.max_body_bytes);
    stream.expires_after(options.read_timeout);
    auto [read_error, read_bytes] = co_await bhttp::async_read(stream, buffer, parser, use_tuple);
    if (read_error) {
      auto problem = read_failure(read_error, options);
      if (!problem) co_return;
      std::string method =
          parser.is_header_done() ? std::string(parser.get().method_string()) : "OTHER";
      std::string route = parser.is_header_done()
                              ? core.dispatcher->route_label(method, parser.get().target())
                              : std::string("unmatched");
      core.dispatcher->record(method, route, problem->status(), seconds_since(started));
      co_await reply_and_close(stream, *problem);
      co_return;
    }
    bhttp::request<bhttp::string_body> request = parser.release();
    std::string method(request.method_string());
    std::string target(request.target());

    // Admission: shed instead of queueing without bound; the I/O thread answers at once.
    Response response;
    if (core.try_enter()) {
      Headers headers;
      for (const auto& field : request)
        headers.add(std::string(field.name_string()), std::string(field.value()));
      // Handlers may block, so they run on the worker pool, never on the I/O threads. The
      // response comes straight back to this connection's executor: co_spawn() would post its
      // completion through the pool first, so a finished response would wait behind every
      // handler queued there.
      response = co_await on_worker(*core.workers, [&] {
        return core.dispatcher->handle(method, target, std::move(headers),
                                       std::move(request.body()), remote_address);
      });
      core.leave();
    } else {
      core.shed_total.inc();
      auto retry = std::to_string(options.retry_after.count());
      response = Response::problem(
          Problem{503, "overloaded", "too many requests in flight; retry after " + retry + " s"}
              .header("Retry-After", retry),
          target.substr(0, target.find('?')));
      core.dispatcher->record(method, core.dispatcher->route_label(method, target), 503,
                              seconds_since(started));
    }

    bool keep_alive = request.keep_alive() && !core.stopping.load();
    auto out = to_beast(std::move(response), request.version(), keep_alive);
    // HEAD gets a GET's headers, Content-Length included, and never a body (RFC 9110 §9.3.2):
    // bytes after the headers would be read as the start of the next response.
    if (request.method() == bhttp::verb::head) out.body().clear();
    stream.expires_after(options.write_timeout);
    auto [write_error, written] = co_await bhttp::async_write(stream, out, use_tuple);
    if (write_error) co_return;
    if (!keep_alive) {
      boost::system::error_code ec;
      stream.socket().shutdown(tcp::socket::shutdown_send, ec);
      co_return;
    }
  }
}

asio::awaitable<void> serve_guarded(ServerCore& core, std::shared_ptr<Connection> connection) {
  try {
    co_await serve(core, std::move(connection));
  } catch (...) {
    // Out of memory or a bug in the I/O path: lose this connection, not the process.
  }
}

}  // namespace

void start_connection(ServerCore& core, tcp::socket socket) {
  boost::system::error_code ec;
  socket.set_option(tcp::no_delay(true), ec);  // small responses must not wait for Nagle
  auto connection = std::make_shared<Connection>(std::move(socket));
  core.add(connection);
  auto executor = connection->stream.get_executor();
  asio::co_spawn(executor, serve_guarded(core, std::move(connection)), asio::detached);
}

void close_if_idle(const std::shared_ptr<Connection>& connection) {
  asio::post(connection->stream.get_executor(), [connection] {
    if (connection->idle) connection->stream.cancel();
  });
}

void close_now(const std::shared_ptr<Connection>& connection) {
  asio::post(connection->stream.get_executor(), [connection] { connection->stream.close(); });
}

}  // namespace eskit::runtime::http
