#include "eskit/runtime/http/server.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <future>
#include <iostream>
#include <stdexcept>
#include <thread>
#include <vector>

#include "server_core.hpp"

namespace eskit::runtime::http {

namespace asio = boost::asio;
using asio::ip::tcp;

namespace {

asio::awaitable<void> accept_loop(ServerCore& core) {
  for (;;) {
    // Each connection gets its own strand, so io_threads > 1 never runs one connection's
    // handlers concurrently.
    tcp::socket socket(asio::make_strand(*core.io));
    auto [ec] = co_await core.acceptor->async_accept(socket, asio::as_tuple(asio::use_awaitable));
    if (core.stopping.load() || ec == asio::error::operation_aborted || !core.acceptor->is_open())
      co_return;
    if (ec) {
      // Out of descriptors and the like: back off instead of spinning on the error.
      asio::steady_timer pause(co_await asio::this_coro::executor, std::chrono::milliseconds{50});
      co_await pause.async_wait(asio::as_tuple(asio::use_awaitable));
      continue;
    }
    core.connections_total.inc();
    start_connection(core, std::move(socket));
  }
}

// Runs `work` on `executor` and waits for it: the server's lifecycle steps must happen on the
// strands that own the objects they touch.
template <class Executor, class Work>
void run_on(const Executor& executor, Work work) {
  std::promise<void> done;
  asio::post(executor, [&] {
    work();
    done.set_value();
  });
  done.get_future().wait();
}

}  // namespace

struct Server::Impl {
  std::shared_ptr<MetricsRegistry> metrics;
  std::shared_ptr<Readiness> readiness;
  std::unique_ptr<ServerCore> core;
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work;
  std::vector<std::thread> io_threads;
  std::uint16_t port = 0;
  std::mutex lifecycle;
  bool started = false;
  bool stopped = false;

  void teardown() {
    // Order matters: nothing may outlive the I/O context it was created on, and pending
    // worker completions post into that context.
    if (core->acceptor) core->acceptor.reset();
    if (core->workers) {
      core->workers->join();
      core->workers.reset();
    }
    core->io.reset();
  }
};

Server::Server(Router router, ServerOptions options, std::shared_ptr<MetricsRegistry> metrics,
               std::shared_ptr<Readiness> readiness)
    : impl_(std::make_unique<Impl>()) {
  impl_->metrics = metrics ? std::move(metrics) : std::make_shared<MetricsRegistry>();
  impl_->readiness = readiness ? std::move(readiness) : std::make_shared<Readiness>();
  Dispatcher::ErrorLog log = options.error_log;
  if (!log) log = [](std::string_view message) { std::cerr << "eskit http: " << message << '\n'; };
  if (options.io_threads == 0) options.io_threads = 1;
  if (options.worker_threads == 0) options.worker_threads = 1;
  auto dispatcher = std::make_unique<Dispatcher>(std::move(router), impl_->metrics,
                                                 impl_->readiness, std::move(log));
  impl_->core = std::make_unique<ServerCore>(std::move(options), std::move(dispatcher));
}

Server::~Server() { stop(); }

void Server::start() {
  std::lock_guard lock(impl_->lifecycle);
  if (impl_->started) throw std::logic_error("the server was already started");
  auto& core = *impl_->core;
  const auto& options = core.options;
  core.io = std::make_unique<asio::io_context>(static_cast<int>(options.io_threads));
  try {
    tcp::endpoint endpoint{asio::ip::make_address(options.address), options.port};
    core.acceptor.emplace(asio::make_strand(*core.io));
    core.acceptor->open(endpoint.protocol());
    core.acceptor->set_option(tcp::acceptor::reuse_address(true));
    core.acceptor->bind(endpoint);
    core.acceptor->listen(asio::socket_base::max_listen_connections);
    impl_->port = core.acceptor->local_endpoint().port();
  } catch (const std::exception& e) {
    // Asio's exception types stay inside the library.
    core.acceptor.reset();
    core.io.reset();
    throw std::runtime_error("cannot listen on " + options.address + ":" +
                             std::to_string(options.port) + ": " + e.what());
  }
  impl_->started = true;
  core.workers.emplace(options.worker_threads);
  impl_->work.emplace(core.io->get_executor());
  asio::co_spawn(core.acceptor->get_executor(), accept_loop(core), asio::detached);
  for (unsigned i = 0; i < options.io_threads; ++i)
    impl_->io_threads.emplace_back([&core] { core.io->run(); });
}

std::uint16_t Server::port() const noexcept { return impl_->port; }

void Server::stop(std::chrono::milliseconds grace) {
  std::lock_guard lock(impl_->lifecycle);
  if (!impl_->started || impl_->stopped) return;
  impl_->stopped = true;
  auto& core = *impl_->core;
  auto deadline = std::chrono::steady_clock::now() + grace;

  // 1. Stop accepting: once the acceptor is closed, connects are refused.
  core.stopping.store(true);
  core.dispatcher->set_draining();
  run_on(core.acceptor->get_executor(), [&core] {
    boost::system::error_code ec;
    core.acceptor->close(ec);
  });

  // 2. Idle keep-alive connections go now; busy ones close after their response.
  std::vector<std::shared_ptr<Connection>> open;
  {
    std::lock_guard connections_lock(core.mutex);
    open.assign(core.connections.begin(), core.connections.end());
  }
  for (const auto& connection : open) close_if_idle(connection);
  open.clear();

  // 3. Wait for in-flight requests, up to the grace; then close whatever is left.
  {
    std::unique_lock connections_lock(core.mutex);
    if (!core.drained.wait_until(connections_lock, deadline,
                                 [&] { return core.connections.empty(); })) {
      for (const auto& connection : core.connections) close_now(connection);
    }
  }

  impl_->work.reset();
  core.io->stop();
  for (auto& thread : impl_->io_threads) thread.join();
  impl_->io_threads.clear();
  impl_->teardown();
}

MetricsRegistry& Server::metrics() noexcept { return *impl_->metrics; }
Readiness& Server::readiness() noexcept { return *impl_->readiness; }

}  // namespace eskit::runtime::http
