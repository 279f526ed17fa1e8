// The synchronous client: calls run as coroutines on the client's own I/O thread, the caller
// waits on a future. One deadline bounds resolve, connect, write and read.
#include "eskit/runtime/http/client.hpp"

#include <sys/socket.h>

#include "eskit/runtime/log/correlation.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <map>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <thread>
#include <vector>

namespace eskit::runtime::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using asio::ip::tcp;

ClientRequest ClientRequest::get(std::string url) {
  ClientRequest r;
  r.url = std::move(url);
  return r;
}

ClientRequest ClientRequest::json(std::string method, std::string url,
                                  const boost::json::value& body) {
  ClientRequest r;
  r.method = std::move(method);
  r.url = std::move(url);
  r.headers.set("Content-Type", "application/json");
  r.body = boost::json::serialize(body);
  return r;
}

boost::json::value ClientResponse::json() const {
  boost::system::error_code ec;
  auto value = boost::json::parse(body, ec);
  if (ec) throw std::runtime_error("response body is not JSON: " + ec.message());
  return value;
}

const ClientResponse& CallResult::response() const {
  if (auto* r = std::get_if<ClientResponse>(&value_)) return *r;
  throw std::logic_error("the call failed: " + std::get<ClientError>(value_).message);
}

const ClientError& CallResult::error() const {
  if (auto* e = std::get_if<ClientError>(&value_)) return *e;
  throw std::logic_error("the call succeeded; there is no error");
}

std::string_view to_string(ClientErrc code) noexcept {
  switch (code) {
    case ClientErrc::invalid_url:
      return "invalid_url";
    case ClientErrc::host_not_found:
      return "host_not_found";
    case ClientErrc::connection_refused:
      return "connection_refused";
    case ClientErrc::timeout:
      return "timeout";
    case ClientErrc::connection_failed:
      return "connection_failed";
    case ClientErrc::protocol_error:
      return "protocol_error";
    case ClientErrc::shutting_down:
      return "shutting_down";
  }
  return "unknown";
}

namespace {

constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);
using Clock = std::chrono::steady_clock;

struct Target {
  std::string host;
  std::string port;
  std::string path_and_query;
  std::string pool_key() const { return host + ":" + port; }
};

std::optional<Target> parse_target(std::string_view url) {
  auto parsed = boost::urls::parse_uri(url);
  if (!parsed || parsed->scheme() != "http" || !parsed->has_authority() || parsed->host().empty())
    return std::nullopt;
  Target t;
  t.host = parsed->host_name().empty() ? std::string(parsed->encoded_host_address())
                                       : std::string(parsed->host_name());
  if (parsed->host_type() == boost::urls::host_type::ipv6)
    t.host = std::string(parsed->host_address());
  t.port = parsed->has_port() ? std::string(parsed->port()) : "80";
  t.path_and_query = parsed->encoded_path().empty() ? "/" : std::string(parsed->encoded_path());
  if (parsed->has_query()) t.path_and_query += "?" + std::string(parsed->encoded_query());
  return t;
}

ClientError classify(const boost::system::error_code& ec, std::string_view during) {
  std::string message = std::string(during) + ": " + ec.message();
  if (ec == beast::error::timeout || ec == asio::error::timed_out)
    return {ClientErrc::timeout, std::string(during) + ": the deadline passed"};
  if (ec == asio::error::connection_refused) return {ClientErrc::connection_refused, message};
  if (ec == asio::error::host_not_found || ec == asio::error::host_not_found_try_again ||
      ec == asio::error::no_data)
    return {ClientErrc::host_not_found, message};
  if (ec.category() == make_error_code(bhttp::error::end_of_stream).category() &&
      ec != bhttp::error::end_of_stream && ec != bhttp::error::partial_message)
    return {ClientErrc::protocol_error, message};
  return {ClientErrc::connection_failed, message};
}

bool idempotent(std::string_view method) {
  return method == "GET" || method == "HEAD" || method == "PUT" || method == "DELETE" ||
         method == "OPTIONS";
}

// A pooled connection the server closed while idle fails this way on first use.
bool stale(const boost::system::error_code& ec) {
  return ec == bhttp::error::end_of_stream || ec == asio::error::eof ||
         ec == asio::error::connection_reset || ec == asio::error::broken_pipe ||
         ec == bhttp::error::partial_message;
}

// An idle connection the server has closed meanwhile (it restarted, or its idle timeout
// passed) reads as end of file. Finding that out before sending lets a POST, which must never
// be sent twice, go out on a fresh connection instead of failing; only a close racing the
// request itself is left to the retry below.
bool still_open(beast::tcp_stream& stream) {
  char byte = 0;
  const auto peeked = ::recv(stream.socket().native_handle(), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
  return peeked < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
}

struct Idle {
  std::unique_ptr<beast::tcp_stream> stream;
  Clock::time_point since;
};

}  // namespace

struct Client::Impl {
  ClientOptions options;
  asio::io_context io{1};
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work;
  mutable std::mutex mutex;
  std::map<std::string, std::vector<Idle>> pool;  // by host:port, most recent last
  std::atomic<std::size_t> opened{0};
  std::thread thread;

  std::unique_ptr<beast::tcp_stream> take(const std::string& key) {
    std::lock_guard lock(mutex);
    auto it = pool.find(key);
    if (it == pool.end()) return nullptr;
    auto& idle = it->second;
    auto now = Clock::now();
    while (!idle.empty()) {
      Idle entry = std::move(idle.back());
      idle.pop_back();
      if (now - entry.since < options.max_idle_time && still_open(*entry.stream))
        return std::move(entry.stream);
    }
    return nullptr;
  }

  void give_back(const std::string& key, std::unique_ptr<beast::tcp_stream> stream) {
    stream->expires_never();
    std::lock_guard lock(mutex);
    auto& idle = pool[key];
    if (idle.size() >= options.max_idle_per_host) idle.erase(idle.begin());  // drop the oldest
    idle.push_back({std::move(stream), Clock::now()});
  }

  asio::awaitable<std::variant<std::unique_ptr<beast::tcp_stream>, ClientError>> connect(
      const Target& target, Clock::time_point deadline) {
    auto executor = co_await asio::this_coro::executor;
    tcp::resolver resolver(executor);
    // The resolver has no timeout of its own: a timer cancels it at the deadline.
    asio::steady_timer timer(executor, deadline);
    bool timed_out = false;
    timer.async_wait([&](boost::system::error_code ec) {
      if (!ec) {
        timed_out = true;
        resolver.cancel();
      }
    });
    auto [resolve_error, endpoints] =
        co_await resolver.async_resolve(target.host, target.port, use_tuple);
    timer.cancel();
    if (timed_out)
      co_return ClientError{ClientErrc::timeout,
                            "resolving " + target.host + ": the deadline passed"};
    if (resolve_error) co_return classify(resolve_error, "resolving " + target.host);

    auto stream = std::make_unique<beast::tcp_stream>(executor);
    stream->expires_at(deadline);
    auto [connect_error, endpoint] = co_await stream->async_connect(endpoints, use_tuple);
    if (connect_error) co_return classify(connect_error, "connecting to " + target.pool_key());
    boost::system::error_code ignored;
    stream->socket().set_option(tcp::no_delay(true), ignored);
    opened.fetch_add(1);
    co_return std::move(stream);
  }

  // A variant, not CallResult: use_future needs a default-constructible result.
  asio::awaitable<std::variant<ClientResponse, ClientError>> perform(Target target,
                                                                     const ClientRequest& call,
                                                                     Clock::time_point deadline) {
    bhttp::request<bhttp::string_body> request;
    request.version(11);
    request.method_string(call.method);
    request.target(target.path_and_query);
    request.set(bhttp::field::host, target.pool_key());
    request.set(bhttp::field::user_agent, options.user_agent);
    if (options.send_deadline_header) {
      auto absolute = std::chrono::system_clock::now() + call.timeout;
      request.set("X-Request-Deadline",
                  std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(
                                     absolute.time_since_epoch())
                                     .count()));
    }
    // A caller's field replaces a default (User-Agent); a repeated one is kept repeated, as
    // a proxy must forward it.
    for (auto field = call.headers.begin(); field != call.headers.end(); ++field) {
      const bool repeated = std::any_of(call.headers.begin(), field, [&](const auto& earlier) {
        return iequals(earlier.first, field->first);
      });
      if (repeated)
        request.insert(field->first, field->second);
      else
        request.set(field->first, field->second);
    }
    request.body() = call.body;
    request.keep_alive(true);
    request.prepare_payload();

    // A reused connection may have been closed by the server meanwhile; such a request
    // never reached a handler, so it is sent again on a fresh connection (idempotent
    // methods only, as a request body may have been read).
    for (int attempt = 0;; ++attempt) {
      auto stream = take(target.pool_key());
      bool reused = stream != nullptr;
      if (!stream) {
        auto connected = co_await connect(target, deadline);
        if (auto* error = std::get_if<ClientError>(&connected)) co_return *error;
        stream = std::move(std::get<0>(connected));
      }
      stream->expires_at(deadline);
      auto [write_error, written] = co_await bhttp::async_write(*stream, request, use_tuple);
      if (write_error) {
        if (reused && attempt == 0 && stale(write_error) && idempotent(call.method)) continue;
        co_return classify(write_error, "sending the request");
      }
      beast::flat_buffer buffer;
      bhttp::response_parser<bhttp::string_body> parser;
      parser.body_limit(options.max_response_bytes);
      // A response to HEAD announces a body it never sends.
      if (call.method == "HEAD") parser.skip(true);
      auto [read_error, read] = co_await bhttp::async_read(*stream, buffer, parser, use_tuple);
      if (read_error) {
        if (reused && attempt == 0 && stale(read_error) && !parser.got_some() &&
            idempotent(call.method))
          continue;
        if (read_error == bhttp::error::body_limit)
          co_return ClientError{ClientErrc::protocol_error,
                                "the response exceeds max_response_bytes"};
        co_return classify(read_error, "reading the response");
      }
      auto response = parser.release();
      ClientResponse result;
      result.status = static_cast<int>(response.result_int());
      for (const auto& field : response)
        result.headers.add(std::string(field.name_string()), std::string(field.value()));
      result.body = std::move(response.body());
      // Left-over bytes mean the peer pipelines something we did not ask for: don't reuse.
      if (response.keep_alive() && buffer.size() == 0)
        give_back(target.pool_key(), std::move(stream));
      co_return result;
    }
  }
};

Client::Client(ClientOptions options) : impl_(std::make_unique<Impl>()) {
  impl_->options = std::move(options);
  impl_->work.emplace(impl_->io.get_executor());
  impl_->thread = std::thread([io = &impl_->io] { io->run(); });
}

Client::~Client() {
  impl_->work.reset();
  impl_->io.stop();
  impl_->thread.join();
  // Pooled streams go before the I/O context they belong to.
  std::lock_guard lock(impl_->mutex);
  impl_->pool.clear();
}

CallResult Client::call(const ClientRequest& request) {
  auto target = parse_target(request.url);
  if (!target)
    return ClientError{ClientErrc::invalid_url, "not an absolute http:// URL: " + request.url};
  auto deadline = Clock::now() + request.timeout;
  // The call runs on the client's I/O thread: the caller's correlation id is taken here.
  const ClientRequest* sent = &request;
  std::optional<ClientRequest> correlated;
  if (const auto id = log::current_correlation_id();
      !id.empty() && !request.headers.contains(correlation_header)) {
    correlated = request;
    correlated->headers.set(std::string(correlation_header), std::string(id));
    sent = &*correlated;
  }
  auto future = asio::co_spawn(impl_->io, impl_->perform(std::move(*target), *sent, deadline),
                               asio::use_future);
  try {
    auto result = future.get();
    if (auto* error = std::get_if<ClientError>(&result)) return std::move(*error);
    return std::move(std::get<ClientResponse>(result));
  } catch (const std::exception& e) {
    // The I/O context was stopped under the call (the client is going away) or the call
    // ran out of memory; neither may escape as an Asio type.
    return ClientError{ClientErrc::shutting_down, e.what()};
  }
}

std::size_t Client::connections_opened() const noexcept { return impl_->opened.load(); }

std::size_t Client::idle_connections() const {
  std::lock_guard lock(impl_->mutex);
  std::size_t n = 0;
  for (const auto& [key, idle] : impl_->pool) n += idle.size();
  return n;
}

}  // namespace eskit::runtime::http
